using System.Globalization;
using System.Security.Cryptography;
using Baoxue.Data;
using Baoxue.Data.Bulk;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Imports;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.Import;

/// <summary>
/// REG-5 / SYS-4: students from the national registry system's spreadsheet (xlsx, xls, csv in UTF-8 or GBK), all or nothing.
/// </summary>
/// <remarks>
/// <para>One streaming pass inside one database transaction. Each row is checked with the same rules as the form
/// (<see cref="StudentInput.Check"/>); rows are gathered in batches, whose IDs are hashed and encrypted in parallel, looked
/// up in the database (one query per batch) and written below EF by <see cref="IStudentBulkWriter"/>. At the first
/// problem writing stops and the rest of the file is only checked, so that the report lists every problem; the
/// transaction is then rolled back, so nothing of a refused file is ever visible. Memory stays flat: a batch of rows,
/// plus one <c>long</c> (the packed ID) and a row number per student for finding duplicates inside the file.</para>
/// <para>A row whose ID (or, without an ID, whose J/L registry number) is already registered updates that record when it
/// is in the importer's jurisdiction and at the same school (a re-import of the school's list); at another school it
/// would be a transfer, and outside the jurisdiction it belongs to someone else: both are refused.</para>
/// </remarks>
public static class RegistryImport
{
    public const int BatchSize = 2000;
    /// <summary>A file wrong everywhere stops being read after this many problems; the report says so.</summary>
    public const int MaxProblems = 5000;

    private static readonly CultureInfo Zh = new(TextTable.Chinese);
    private static readonly CultureInfo En = new(TextTable.English);
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy/MM/dd", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日", "yyyy-MM-dd HH:mm:ss"];
    private static readonly char[] GroupSeparators = [',', '，', '、', ';', '；', '/', ' '];

    private sealed record ClassRef(Guid Id, Guid SchoolId, int Grade, string Path);

    private sealed class Pending
    {
        public required int Row { get; init; }
        public required Student Student { get; init; }
        public string? NormalizedId { get; init; }
        public required string SchoolCode { get; init; }
    }

    /// <summary>Reads, checks and (when every row is right) stores the students of one file.</summary>
    /// <param name="phases">When given, receives the time spent in each phase (for benchmarks and profiling).</param>
    public static async Task<ImportReport> ImportAsync(BaoxueDb db, PersonalData personal, TextTable table, long maxBytes, Stream file, string fileName, CancellationToken ct = default, ImportPhases? phases = null)
    {
        var report = new ImportReport();
        FileStream? copy = null;
        try
        {
            if (!file.CanSeek)
            {
                copy = await CopyToTemporaryFileAsync(file, maxBytes, ct);
                if (copy is null)
                {
                    report.Add(0, "", Path.GetFileName(fileName), "Import.File.TooLarge");
                    return report;
                }
                file = copy;
            }
            var start = file.Position;
            if (file.Length - start > maxBytes)
            {
                report.Add(0, "", Path.GetFileName(fileName), "Import.File.TooLarge");
                return report;
            }
            var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            file.Position = start;
            using var reader = ImportReport.Open(file, fileName, maxBytes, report);
            if (reader is null)
            {
                return report;
            }
            var columns = RegistryColumns.Match(reader.Headers, table, report);
            if (!report.Succeeded)
            {
                return report;
            }
            await new Run(db, personal, table, columns, report, phases ?? new ImportPhases()).ExecuteAsync(reader, Path.GetFileName(fileName), sha256, ct);
            return report;
        }
        finally
        {
            if (copy is not null)
            {
                await copy.DisposeAsync();
            }
        }
    }

    private static async Task<FileStream?> CopyToTemporaryFileAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"baoxue-registry-{Guid.NewGuid():N}.tmp");
        var temp = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                await temp.DisposeAsync();
                return null;
            }
            await temp.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        temp.Position = 0;
        return temp;
    }

    /// <summary>The state of one import.</summary>
    private sealed class Run(BaoxueDb db, PersonalData personal, TextTable table, RegistryColumns columns, ImportReport report, ImportPhases phases)
    {
        private readonly string? _scope = db.ScopePath;
        private readonly DateOnly _today = db.County.Today;
        private readonly Dictionary<long, int> _ids = [];
        private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
        private List<Pending> _batch = new(BatchSize);
        // Problems of the row being read (the writer adds its own concurrently, so the report's count cannot tell).
        private int _rowProblems;
        private Dictionary<string, Guid> _schools = [];
        private Dictionary<(Guid School, int Grade, int Number), ClassRef> _classes = [];
        private Dictionary<string, Gender> _genders = [];
        private Dictionary<string, HouseholdType> _householdTypes = [];
        private Dictionary<string, GuardianRelation> _relations = [];
        private Dictionary<string, GroupKind> _groups = [];
        private Dictionary<string, bool> _yesNo = [];
        private StudentUpdateParts _parts;
        // The registry's existing IDs as the first 64 bits of their hashes, sorted, and its J/L numbers: a batch asks the
        // database only about the rows that may match (almost none in a first load), instead of about every row.
        private ulong[] _knownHashes = [];
        private HashSet<string> _knownNumbers = new(StringComparer.Ordinal);
        private IStudentBulkWriter? _writer;

        private bool Writing => report.Succeeded;

        public async Task ExecuteAsync(ISheetReader reader, string fileName, string sha256, CancellationToken ct)
        {
            await LoadReferenceDataAsync(ct);
            _parts = (columns.Has(RegistryColumn.Household) ? StudentUpdateParts.Household : 0)
                | (columns.Has(RegistryColumn.HouseholdType) ? StudentUpdateParts.HouseholdType : 0)
                | (columns.Has(RegistryColumn.Residence) ? StudentUpdateParts.Residence : 0)
                | (columns.Has(RegistryColumn.GuardianName) ? StudentUpdateParts.Guardians : 0)
                | (columns.Has(RegistryColumn.Groups) ? StudentUpdateParts.Tags : 0);

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await using (_writer = StudentBulk.Create(db))
            {
                // A pipeline of two: while one batch is hashed, encrypted, looked up and written (on the pool, the
                // hashing spread over the cores), this thread reads and checks the next one.
                var flushing = Task.CompletedTask;
                var reading = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    foreach (var row in report.Rows(reader))
                    {
                        report.RowsRead++;
                        if (Read(row) is { } pending)
                        {
                            _batch.Add(pending);
                        }
                        if (_batch.Count == BatchSize)
                        {
                            reading.Stop();
                            await flushing;
                            reading.Start();
                            var full = _batch;
                            _batch = new List<Pending>(BatchSize);
                            flushing = Task.Run(() => FlushAsync(full, ct), ct);
                        }
                        if (report.Problems.Count >= MaxProblems)
                        {
                            Add(row.RowNumber, "", "", "RegImport.TooManyProblems", MaxProblems);
                            break;
                        }
                    }
                }
                finally
                {
                    reading.Stop();
                    phases.ReadAndCheck += reading.Elapsed;
                    await flushing;
                }
                await FlushAsync(_batch, ct);
            }
            if (report.RowsRead == 0)
            {
                report.Add(2, "", "", "Import.NoRows");
            }
            if (!report.Succeeded)
            {
                report.Created = report.Updated = 0;
                await transaction.RollbackAsync(ct);
                return;
            }
            var committing = System.Diagnostics.Stopwatch.StartNew();
            var detail = System.Text.Json.JsonSerializer.Serialize(new { file = fileName, sha256, rows = report.RowsRead, created = report.Created, updated = report.Updated });
            db.Audit(AuditAction.Import, nameof(Student), null, null, detail);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            phases.Commit += committing.Elapsed;
        }

        private bool InScope(string path) => _scope is null || PlacePath.IsWithin(path, _scope);

        private async Task LoadReferenceDataAsync(CancellationToken ct)
        {
            var schools = await db.Schools.AsNoTracking().Select(s => new { s.Id, s.Code, s.Path }).ToListAsync(ct);
            _schools = schools.Where(s => InScope(s.Path)).ToDictionary(s => s.Code, s => s.Id, StringComparer.Ordinal);
            var classes = await db.Classes.AsNoTracking().Where(c => c.SchoolYear!.IsCurrent)
                .Select(c => new { c.Id, c.SchoolId, c.Grade, c.Number, c.Path }).ToListAsync(ct);
            _classes = classes.Where(c => InScope(c.Path)).ToDictionary(c => (c.SchoolId, c.Grade, c.Number), c => new ClassRef(c.Id, c.SchoolId, c.Grade, c.Path));

            _genders = Names<Gender>([Gender.Male, Gender.Female], "Gender.");
            _genders.TryAdd("1", Gender.Male);
            _genders.TryAdd("2", Gender.Female);
            _genders.TryAdd("M", Gender.Male);
            _genders.TryAdd("F", Gender.Female);
            _householdTypes = Names(Enum.GetValues<HouseholdType>(), "HouseholdType.");
            _householdTypes.TryAdd("农业", HouseholdType.Agricultural);
            _householdTypes.TryAdd("非农业", HouseholdType.NonAgricultural);
            _householdTypes.TryAdd("居民", HouseholdType.Resident);
            _relations = Names(Enum.GetValues<GuardianRelation>(), "GuardianRelation.");
            foreach (var (name, relation) in new[]
            {
                ("父", GuardianRelation.Father), ("父子", GuardianRelation.Father), ("父女", GuardianRelation.Father), ("母", GuardianRelation.Mother), ("母子", GuardianRelation.Mother), ("母女", GuardianRelation.Mother),
                ("祖父", GuardianRelation.Grandparent), ("祖母", GuardianRelation.Grandparent), ("外祖父", GuardianRelation.Grandparent), ("外祖母", GuardianRelation.Grandparent),
                ("爷爷", GuardianRelation.Grandparent), ("奶奶", GuardianRelation.Grandparent), ("外公", GuardianRelation.Grandparent), ("外婆", GuardianRelation.Grandparent),
            })
            {
                _relations.TryAdd(name, relation);
            }
            var prefixes = new List<ulong>();
            await foreach (var prefix in db.Students.IgnoreQueryFilters().AsNoTracking().Where(s => s.IdNumberHash != null)
                .Select(s => s.IdNumberHash!.Substring(0, 16)).AsAsyncEnumerable().WithCancellation(ct))
            {
                prefixes.Add(HashPrefix(prefix));
            }
            _knownHashes = [.. prefixes];
            Array.Sort(_knownHashes);
            _knownNumbers = new HashSet<string>(await db.Students.IgnoreQueryFilters().AsNoTracking()
                .Where(s => !s.RegistryNumber.StartsWith("G")).Select(s => s.RegistryNumber).ToListAsync(ct), StringComparer.Ordinal);

            _groups = Names(Enum.GetValues<GroupKind>(), "GroupKind.");
            _yesNo = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase) { ["Y"] = true, ["N"] = false, ["1"] = true, ["0"] = false };
            foreach (var (key, value) in new[] { ("RegImport.Yes", true), ("RegImport.No", false) })
            {
                foreach (var name in Names(key))
                {
                    _yesNo[name] = value;
                }
            }
        }

        private IEnumerable<string> Names(string key) =>
            new[] { table.Find(key, Zh), table.Find(key, En) }.Where(n => n is not null).Select(n => n!).Distinct();

        private Dictionary<string, T> Names<T>(IEnumerable<T> values, string prefix) where T : struct, Enum
        {
            var map = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                foreach (var name in Names(prefix + value))
                {
                    map.TryAdd(name, value);
                }
            }
            return map;
        }

        /// <summary>A problem of the row being read.</summary>
        private void Problem(int row, RegistryColumn column, string? value, string key, params object[] args)
        {
            _rowProblems++;
            Add(row, columns.Name(column), value, key, args);
        }

        /// <summary>A problem found when writing (against the database), possibly while the next rows are read.</summary>
        private void WriteProblem(int row, RegistryColumn column, string? value, string key, params object[] args) =>
            Add(row, columns.Name(column), value, key, args);

        private void Add(int row, string column, string? value, string key, params object[] args)
        {
            lock (report.Problems)
            {
                report.Add(row, column, value, key, args);
            }
        }

        /// <summary>Checks one row; the student to write when it is right, null when it is not.</summary>
        private Pending? Read(SheetRow row)
        {
            var r = row.RowNumber;
            _rowProblems = 0;

            // An ID typed as a number has lost its last digits whatever it shows now.
            var idCell = columns.Cell(row, RegistryColumn.IdNumber);
            var idText = idCell.Text;
            var idLost = idCell.WasNumeric || idText.Contains("E+", StringComparison.OrdinalIgnoreCase);
            if (idLost)
            {
                Problem(r, RegistryColumn.IdNumber, idText, "RegImport.IdDigitsLost");
            }

            Gender? gender = null;
            var genderText = columns.Text(row, RegistryColumn.Gender);
            if (genderText.Length > 0)
            {
                if (_genders.TryGetValue(genderText, out var g))
                {
                    gender = g;
                }
                else
                {
                    Problem(r, RegistryColumn.Gender, genderText, "RegImport.BadGender");
                }
            }
            var birth = Date(row, RegistryColumn.BirthDate);
            var registryText = columns.Text(row, RegistryColumn.RegistryNumber);
            var ethnicityText = columns.Text(row, RegistryColumn.Ethnicity);
            StudentInput.Checked? person = null;
            if (!idLost)
            {
                var errors = new List<FieldError>();
                person = StudentInput.Check(new StudentInput.Person(idText, registryText, columns.Text(row, RegistryColumn.Name), gender, birth, ethnicityText), errors);
                var badId = errors.Any(e => e.Field == "IdNumber");
                foreach (var e in errors)
                {
                    var (column, value) = e.Field switch
                    {
                        "IdNumber" => (RegistryColumn.IdNumber, idText),
                        "RegistryNumber" => columns.Has(RegistryColumn.RegistryNumber) ? (RegistryColumn.RegistryNumber, registryText) : (RegistryColumn.IdNumber, idText),
                        "Name" => (RegistryColumn.Name, columns.Text(row, RegistryColumn.Name)),
                        "Gender" => (RegistryColumn.Gender, genderText),
                        "BirthDate" => (RegistryColumn.BirthDate, columns.Text(row, RegistryColumn.BirthDate)),
                        _ => (RegistryColumn.Ethnicity, ethnicityText),
                    };
                    if (e.Key == "Validation.Required")
                    {
                        // Gender and birth date come from a valid ID; with a bad one, the ID's problem says it all.
                        if (!badId || column is not (RegistryColumn.Gender or RegistryColumn.BirthDate))
                        {
                            Problem(r, column, value, "Import.Required");
                        }
                    }
                    else if (e.Key == "Student.Id.LooksNumeric")
                    {
                        Problem(r, column, value, "RegImport.IdDigitsLost");
                    }
                    else
                    {
                        Problem(r, column, value, e.Key, e.Args);
                    }
                }
            }

            // School and class of the current school year, in the importer's jurisdiction.
            ClassRef? schoolClass = null;
            var schoolCode = columns.Text(row, RegistryColumn.SchoolCode);
            var gradeText = columns.Text(row, RegistryColumn.Grade);
            var numberText = columns.Text(row, RegistryColumn.ClassNumber);
            if (!_schools.TryGetValue(schoolCode, out var schoolId))
            {
                Problem(r, RegistryColumn.SchoolCode, schoolCode, columns.Cell(row, RegistryColumn.SchoolCode).WasNumeric && schoolCode.Length != 10 ? "Import.NumericCell" : "Import.UnknownSchool");
            }
            else if (!ChineseFormat.TryParseGrade(gradeText, out var grade))
            {
                Problem(r, RegistryColumn.Grade, gradeText, "Import.BadGrade");
            }
            else if (!int.TryParse(numberText.Replace("班", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                Problem(r, RegistryColumn.ClassNumber, numberText, "RegImport.BadClassNumber");
            }
            else if (!_classes.TryGetValue((schoolId, grade, number), out schoolClass))
            {
                Problem(r, RegistryColumn.ClassNumber, numberText, "RegImport.UnknownClass");
            }

            // 户口所在地: a six-digit division code, or the address as written.
            string? regionCode = null, address = null;
            var household = columns.Text(row, RegistryColumn.Household);
            if (household.Length == 6 && household.All(char.IsAsciiDigit))
            {
                regionCode = household;
            }
            else if (household.Length > 0)
            {
                address = Limited(r, RegistryColumn.Household, household, 200);
            }
            HouseholdType? householdType = null;
            var typeText = columns.Text(row, RegistryColumn.HouseholdType);
            if (typeText.Length > 0)
            {
                if (_householdTypes.TryGetValue(typeText, out var t))
                {
                    householdType = t;
                }
                else
                {
                    Problem(r, RegistryColumn.HouseholdType, typeText, "Import.UnknownValue");
                }
            }
            var residence = Limited(r, RegistryColumn.Residence, columns.Text(row, RegistryColumn.Residence), 200);
            var enrolled = Date(row, RegistryColumn.EnrolledOn);

            // One guardian per row, as the registry's export has it.
            Guardian? guardian = null;
            var guardianName = StudentInput.NormalizeName(columns.Text(row, RegistryColumn.GuardianName));
            var relationText = columns.Text(row, RegistryColumn.GuardianRelation);
            var phone = columns.Text(row, RegistryColumn.GuardianPhone);
            var awayText = columns.Text(row, RegistryColumn.WorksAway);
            var relation = GuardianRelation.Other;
            if (relationText.Length > 0 && !_relations.TryGetValue(relationText, out relation))
            {
                Problem(r, RegistryColumn.GuardianRelation, relationText, "Import.UnknownValue");
            }
            if (phone.Length > 0 && !PhoneNumber.IsValid(phone))
            {
                Problem(r, RegistryColumn.GuardianPhone, phone, "Validation.Phone", phone);
            }
            var away = false;
            if (awayText.Length > 0 && !_yesNo.TryGetValue(awayText, out away))
            {
                Problem(r, RegistryColumn.WorksAway, awayText, "RegImport.BadYesNo");
            }
            if (guardianName.Length > 64)
            {
                Problem(r, RegistryColumn.GuardianName, guardianName, "RegImport.TooLong", 64);
            }
            else if (guardianName.Length > 0)
            {
                guardian = new Guardian { Name = guardianName, Relation = relation, Phone = PhoneNumber.Normalize(phone), WorksAway = away };
            }
            else if (relationText.Length > 0 || phone.Length > 0)
            {
                Problem(r, RegistryColumn.GuardianName, "", "RegImport.GuardianNameMissing");
            }

            var kinds = new List<GroupKind>();
            foreach (var part in columns.Text(row, RegistryColumn.Groups).Split(GroupSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!_groups.TryGetValue(part, out var kind))
                {
                    Problem(r, RegistryColumn.Groups, part, "RegImport.UnknownGroup", part);
                }
                else if (kind == GroupKind.Disabled)
                {
                    Problem(r, RegistryColumn.Groups, part, "RegImport.DisabledNeedsDetail");
                }
                else if (!kinds.Contains(kind))
                {
                    kinds.Add(kind);
                }
            }

            // Duplicates inside the file: the same ID (packed into a long) or the same J/L number; both rows are named.
            if (person is not null)
            {
                if (person.NormalizedId is { } id)
                {
                    var packed = IdNumber.Pack(id);
                    if (_ids.TryGetValue(packed, out var first))
                    {
                        Problem(r, RegistryColumn.IdNumber, IdNumber.Mask(id), "Import.DuplicateInFile", first);
                        Problem(first, RegistryColumn.IdNumber, IdNumber.Mask(id), "RegImport.DuplicateLater", r);
                    }
                    else
                    {
                        _ids[packed] = r;
                    }
                }
                if (!person.RegistryNumber.StartsWith('G'))
                {
                    if (_numbers.TryGetValue(person.RegistryNumber, out var first))
                    {
                        Problem(r, RegistryColumn.RegistryNumber, person.RegistryNumber, "Import.DuplicateInFile", first);
                        Problem(first, RegistryColumn.RegistryNumber, person.RegistryNumber, "RegImport.DuplicateLater", r);
                    }
                    else
                    {
                        _numbers[person.RegistryNumber] = r;
                    }
                }
            }

            if (_rowProblems > 0 || person is null || schoolClass is null)
            {
                return null;
            }
            var student = new Student
            {
                RegistryNumber = Domain.RegistryNumber.Stored(person.RegistryNumber, person.NormalizedId),
                Name = person.Name,
                Gender = person.Gender,
                BirthDate = person.BirthDate,
                Ethnicity = person.Ethnicity,
                IdNumberMasked = person.NormalizedId is null ? null : IdNumber.Mask(person.NormalizedId),
                HouseholdRegionCode = regionCode,
                HouseholdAddress = address,
                HouseholdType = householdType,
                Residence = residence.Length == 0 ? null : residence,
                SchoolId = schoolClass.SchoolId,
                ClassId = schoolClass.Id,
                Grade = schoolClass.Grade,
                EnrolledOn = enrolled ?? _today,
                Path = schoolClass.Path,
            };
            if (guardian is not null)
            {
                guardian.StudentId = student.Id;
                student.Guardians.Add(guardian);
            }
            foreach (var kind in kinds)
            {
                student.Tags.Add(new GroupTag { StudentId = student.Id, Kind = kind, StartedOn = _today, Source = null });
            }
            return new Pending { Row = r, Student = student, NormalizedId = person.NormalizedId, SchoolCode = schoolCode };
        }

        private DateOnly? Date(SheetRow row, RegistryColumn column)
        {
            var text = columns.Text(row, column);
            if (text.Length == 0)
            {
                return null;
            }
            if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && (date = DateOnly.FromDateTime(at)) != default))
            {
                return date;
            }
            Problem(row.RowNumber, column, text, "RegImport.BadDate");
            return null;
        }

        private string Limited(int row, RegistryColumn column, string text, int max)
        {
            if (text.Length <= max)
            {
                return text;
            }
            Problem(row, column, text[..20] + "…", "RegImport.TooLong", max);
            return text[..max];
        }

        /// <summary>Hashes (and, while the file is still good, encrypts) the batch's IDs, checks them against the database and writes.</summary>
        private async Task FlushAsync(List<Pending> batch, CancellationToken ct)
        {
            if (batch.Count == 0)
            {
                return;
            }
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var encrypt = Writing;
            // The costly part of a big import: HMAC and AES-GCM for every ID, spread over the cores.
            Parallel.For(0, batch.Count, i =>
            {
                var p = batch[i];
                if (p.NormalizedId is { } id)
                {
                    p.Student.IdNumberHash = personal.Hash(id);
                    if (encrypt)
                    {
                        p.Student.IdNumberCipher = personal.Encrypt(id);
                    }
                }
            });

            phases.HashAndEncrypt += watch.Elapsed;
            watch.Restart();
            var hashes = batch.Where(p => p.Student.IdNumberHash is { } h && Array.BinarySearch(_knownHashes, HashPrefix(h)) >= 0).Select(p => p.Student.IdNumberHash!).ToList();
            var numbers = batch.Where(p => !p.Student.RegistryNumber.StartsWith('G') && _knownNumbers.Contains(p.Student.RegistryNumber)).Select(p => p.Student.RegistryNumber).ToList();
            var byHash = hashes.Count == 0 ? [] : (await db.Students.IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.IdNumberHash != null && hashes.Contains(s.IdNumberHash))
                .Select(s => new Existing(s.Id, s.IdNumberHash, s.RegistryNumber, s.SchoolId, s.Path)).ToListAsync(ct))
                .ToDictionary(s => s.IdNumberHash!, StringComparer.Ordinal);
            var byNumber = numbers.Count == 0 ? [] : (await db.Students.IgnoreQueryFilters().AsNoTracking()
                .Where(s => numbers.Contains(s.RegistryNumber))
                .Select(s => new Existing(s.Id, s.IdNumberHash, s.RegistryNumber, s.SchoolId, s.Path)).ToListAsync(ct))
                .GroupBy(s => s.RegistryNumber, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

            phases.LookUp += watch.Elapsed;
            watch.Restart();
            var inserts = new List<Student>(batch.Count);
            var updates = new List<Student>();
            foreach (var p in batch)
            {
                var s = p.Student;
                Guid? target = null;
                var refused = false;
                if (s.IdNumberHash is { } hash && byHash.TryGetValue(hash, out var same))
                {
                    refused = !Updatable(p, same, RegistryColumn.IdNumber, s.IdNumberMasked!, "RegImport.IdElsewhere");
                    target = refused ? null : same.Id;
                }
                if (!refused && !s.RegistryNumber.StartsWith('G') && byNumber.TryGetValue(s.RegistryNumber, out var holder) && holder.Id != target)
                {
                    if (target is null && s.IdNumberHash is null && holder.IdNumberHash is null)
                    {
                        refused = !Updatable(p, holder, RegistryColumn.RegistryNumber, s.RegistryNumber, "RegImport.RegistryNumberTaken");
                        target = refused ? null : holder.Id;
                    }
                    else
                    {
                        WriteProblem(p.Row, RegistryColumn.RegistryNumber, s.RegistryNumber, "RegImport.RegistryNumberTaken");
                        refused = true;
                    }
                }
                if (refused)
                {
                    continue;
                }
                if (target is { } existingId)
                {
                    s.Id = existingId;
                    foreach (var g in s.Guardians)
                    {
                        g.StudentId = existingId;
                    }
                    foreach (var t in s.Tags)
                    {
                        t.StudentId = existingId;
                    }
                    updates.Add(s);
                }
                else
                {
                    inserts.Add(s);
                }
            }
            if (Writing)
            {
                await _writer!.InsertAsync(inserts, ct);
                await _writer.UpdateAsync(updates, _parts, ct);
                report.Created += inserts.Count;
                report.Updated += updates.Count;
            }
            phases.Write += watch.Elapsed;
        }

        /// <summary>An existing record may be updated from the file only within the jurisdiction and at the same school.</summary>
        private bool Updatable(Pending p, Existing existing, RegistryColumn column, string value, string elsewhereKey)
        {
            if (!InScope(existing.Path))
            {
                WriteProblem(p.Row, column, value, elsewhereKey);
                return false;
            }
            if (existing.SchoolId != p.Student.SchoolId)
            {
                WriteProblem(p.Row, RegistryColumn.SchoolCode, p.SchoolCode, "Student.MoveIsATransfer");
                return false;
            }
            return true;
        }
    }

    private static ulong HashPrefix(string hexHash) => ulong.Parse(hexHash.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Where an import's time went: reading and checking on one thread, the rest overlapped with it.</summary>
    public sealed class ImportPhases
    {
        public TimeSpan ReadAndCheck { get; set; }
        public TimeSpan HashAndEncrypt { get; set; }
        public TimeSpan LookUp { get; set; }
        public TimeSpan Write { get; set; }
        public TimeSpan Commit { get; set; }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"read+check {ReadAndCheck.TotalSeconds:F2} s, hash+encrypt {HashAndEncrypt.TotalSeconds:F2} s, look-ups {LookUp.TotalSeconds:F2} s, writes {Write.TotalSeconds:F2} s, commit {Commit.TotalSeconds:F2} s");
    }

    private sealed record Existing(Guid Id, string? IdNumberHash, string RegistryNumber, Guid SchoolId, string Path);
}
