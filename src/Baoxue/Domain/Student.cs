namespace Baoxue.Domain;

/// <summary>学籍状态, as the national registry names them.</summary>
public enum StudentStatus
{
    InSchool = 1,
    Suspended = 2,
    TransferredOut = 3,
    DroppedOut = 4,
    Deceased = 5,
    Graduated = 6,
    Emigrated = 7,
    Deferred = 8,
    Exempted = 9,
}

/// <summary>户口性质.</summary>
public enum HouseholdType
{
    Agricultural = 1,
    NonAgricultural = 2,
    Resident = 3,
}

/// <summary>
/// A student's registry record (学籍). The resident ID is stored only encrypted (<see cref="IdNumberCipher"/>),
/// with a keyed hash for matching and its masked form for lists; see <c>PersonalData</c>.
/// </summary>
public sealed class Student : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>
    /// 学籍号 as stored: "J"/"L" numbers in full; "G" numbers (G + the ID) only as G + the masked ID, since
    /// in full they would be the ID in clear. The full G number is G + the decrypted ID.
    /// </summary>
    public required string RegistryNumber { get; set; }
    public string? IdNumberCipher { get; set; }
    /// <summary>Keyed hash (HMAC) of the normalised ID: equal IDs, equal hashes; unique when present.</summary>
    public string? IdNumberHash { get; set; }
    /// <summary>350123********123X: enough to tell records apart on screen, not enough to be the ID.</summary>
    public string? IdNumberMasked { get; set; }
    public required string Name
    {
        get => _name;
        set
        {
            _name = value;
            NameKey = PinyinOrder.Key(value);
        }
    }
    private string _name = "";
    /// <summary>
    /// The name's pinyin sort key (<see cref="PinyinOrder.Key"/>), kept with
    /// the name by its setter so that every write path stores it; lists order and page by (NameKey, Id).
    /// </summary>
    public string NameKey { get; set; } = "";
    public Gender Gender { get; set; }
    public DateOnly BirthDate { get; set; }
    /// <summary>民族, GB 3304 two-digit code ("01" 汉族).</summary>
    public required string Ethnicity { get; set; }
    /// <summary>户籍所在地: six-digit division code of the household registration.</summary>
    public string? HouseholdRegionCode { get; set; }
    public string? HouseholdAddress { get; set; }
    public HouseholdType? HouseholdType { get; set; }
    /// <summary>现住址.</summary>
    public string? Residence { get; set; }
    public Guid SchoolId { get; set; }
    public School? School { get; set; }
    public Guid? ClassId { get; set; }
    public SchoolClass? Class { get; set; }
    public int Grade { get; set; }
    public StudentStatus Status { get; set; } = StudentStatus.InSchool;
    public DateOnly? EnrolledOn { get; set; }
    /// <summary>The class's path (or the school's, between classes).</summary>
    public required string Path { get; set; }
    public List<Guardian> Guardians { get; set; } = [];
    public List<GroupTag> Tags { get; set; } = [];

    /// <summary>Students in these states belong to no class: they have left, or not yet come.</summary>
    public static bool IsOffRoll(StudentStatus status) => status is not (StudentStatus.InSchool or StudentStatus.Suspended);
}

public enum GuardianRelation
{
    Father = 1,
    Mother = 2,
    Grandparent = 3,
    OtherRelative = 4,
    Other = 9,
}

/// <summary>A guardian (监护人). Phones are shown masked unless the user may reveal them.</summary>
public sealed class Guardian
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public GuardianRelation Relation { get; set; }
    public required string Name { get; set; }
    public string? Phone { get; set; }
    /// <summary>外出务工: a child whose parents both work away is left-behind.</summary>
    public bool WorksAway { get; set; }
}

/// <summary>重点群体: the priority groups of GRP-1.</summary>
public enum GroupKind
{
    PovertyRegistered = 1,
    LowIncome = 2,
    Disabled = 3,
    ChildOfDisabledParents = 4,
    ChildOfPrisoners = 5,
    LeftBehind = 6,
    Migrant = 7,
    InDifficulty = 8,
    StrugglingLearner = 9,
    AtRisk = 10,
    ReturnedDropout = 11,
}

/// <summary>A priority-group tag with where it came from and when it held.</summary>
public sealed class GroupTag
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public GroupKind Kind { get; set; }
    /// <summary>残疾类别 (视力, 听力, 言语, 肢体, 智力, 精神, 多重) for Disabled.</summary>
    public string? DisabilityType { get; set; }
    /// <summary>残疾等级 1–4 for Disabled.</summary>
    public int? DisabilityGrade { get; set; }
    public string? Source { get; set; }
    public DateOnly StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
}
