using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Demo;

/// <summary>
/// The demo county's ledger: children on each of the three lists, entries in every state, cases in every state with both
/// lines named, driven through the same intake and state machines as real work (casework adds attempts and notices on top).
/// The demo accounts of the head teacher, the township and the village are linked to their staff records so their tasks show.
/// </summary>
public static class DemoLedger
{
    public static async Task SeedAsync(SystemDb system, IServiceProvider services, Infrastructure.Time.CountyClock clock, int seed, CancellationToken ct = default)
    {
        await using var db = system.Open("demo");
        var personal = services.GetRequiredService<PersonalData>();
        var random = new Random(seed + 9);
        var names = new ChineseNames(seed + 9);
        var today = clock.Today;
        var users = await db.Users.ToDictionaryAsync(u => u.UserName!, ct);
        var headClass = await db.Classes.AsNoTracking().FirstAsync(c => c.Id == users["head.teacher"].PlaceId, ct);
        var township = await db.Divisions.AsNoTracking().FirstAsync(d => d.Id == users["township.cadre"].PlaceId, ct);
        var village = await db.Divisions.AsNoTracking().FirstAsync(d => d.Id == users["village.cadre"].PlaceId, ct);
        users["head.teacher"].StaffId ??= headClass.HeadTeacherId;
        users["township.cadre"].StaffId ??= await db.Staff.Where(s => s.DivisionId == township.Id).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        users["village.cadre"].StaffId ??= await db.Staff.Where(s => s.DivisionId == village.Id).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        var villages = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Village).OrderBy(d => d.Code).ToListAsync(ct);
        var others = villages.Where(v => v.Id != village.Id).ToList();
        var students = await db.Students.AsNoTracking().Where(s => s.ClassId == headClass.Id).OrderBy(s => s.NameKey).Take(3).Select(s => s.Id).ToListAsync(ct);
        students.AddRange(await db.Students.AsNoTracking().Where(s => s.Grade >= 7).OrderBy(s => s.Id).Take(4).Select(s => s.Id).ToListAsync(ct));
        var intake = new LedgerIntake(db, personal);
        var n = 0;

        async Task<LedgerEntry> Report(LedgerList list, LedgerSource source, string reason, int daysAgo, Division? home = null, Guid? studentId = null)
        {
            n++;
            UnregisteredChild? child = null;
            if (studentId is null)
            {
                var gender = n % 2 == 0 ? Gender.Female : Gender.Male;
                var age = list == LedgerList.NotEnrolled ? 6 + random.Next(2) : 11 + random.Next(4);
                var born = today.AddYears(-age).AddDays(-random.Next(300));
                child = new UnregisteredChild(names.FullName(gender), null, born, gender, (home ?? others[random.Next(others.Count)]).Code, null);
            }
            var result = await intake.ReportAsync(new LedgerReport(studentId, child, list, source, $"demo:{n}", reason, today.AddDays(-daysAgo)), ct);
            var entry = db.ChangeTracker.Entries<LedgerEntry>().Select(e => e.Entity).First(e => e.Id == result.EntryId);
            if (home is not null && entry.ResidencePath is null)
            {
                entry.ResidencePath = home.Path;
                entry.HouseholdDivisionCode = home.Code;
            }
            return entry;
        }

        void Verify(LedgerEntry e, VerificationOutcome outcome, string note, int daysAgo, string by = "village.cadre")
        {
            e.Move(LedgerEntryTrigger.Verify);
            e.Outcome = outcome;
            e.VerificationNote = note;
            e.ElsewhereSchool = outcome == VerificationOutcome.StudyingElsewhere ? "福州市晋安区第三中心小学" : null;
            e.ElsewhereInCounty = outcome == VerificationOutcome.StudyingElsewhere ? false : null;
            e.VerifiedBy = by;
            e.VerifiedAt = clock.StartOfDayUtc(today.AddDays(-daysAgo)).AddHours(3);
        }

        async Task<LedgerCase> Confirm(LedgerEntry e, int daysAgo, bool assign)
        {
            Verify(e, VerificationOutcome.Dropout, "家访核实，孩子在家，未到校上课。", daysAgo + 1);
            e.Move(LedgerEntryTrigger.Confirm);
            e.List = e.List == LedgerList.SuspectedDropout ? LedgerList.Dropout : e.List;
            e.ApprovedBy = "township.cadre";
            e.ApprovedAt = clock.StartOfDayUtc(today.AddDays(-daysAgo)).AddHours(2);
            var c = new LedgerCase { EntryId = e.Id, OpenedAt = e.ApprovedAt.Value, Path = e.Path, ResidencePath = e.ResidencePath };
            c.EducationStaffId = await LedgerCommands.DefaultEducationLineAsync(db, e, ct)
                ?? await db.Staff.Where(s => s.DivisionId != null && s.Post == "控辍保学专干").Select(s => (Guid?)s.Id).FirstAsync(ct);
            if (assign)
            {
                c.GovernmentStaffId = await LedgerCommands.DefaultGovernmentLineAsync(db, e, ct)
                    ?? await db.Staff.Where(s => s.DivisionId == township.Id).Select(s => (Guid?)s.Id).FirstAsync(ct);
                c.Move(LedgerCaseTrigger.Assign);
                c.AssignedBy = "county.admin";
                c.AssignedAt = e.ApprovedAt.Value.AddHours(4);
            }
            db.LedgerCases.Add(c);
            return c;
        }

        Guid? Student(int i) => i < students.Count ? students[i] : null;

        // Waiting for verification: one in the village cadre's own village, one overdue.
        await Report(LedgerList.NotEnrolled, LedgerSource.Tip, "村里反映该儿童已满 6 周岁，秋季未到校报到。", 2, village);
        await Report(LedgerList.NotEnrolled, LedgerSource.DepartmentList, "县残联：持证残疾儿童，未安排入学。", 9, village);
        var sentBack = await Report(LedgerList.SuspectedDropout, LedgerSource.Tip, "随父母外出，去向不明。", 12, others[0]);
        Verify(sentBack, VerificationOutcome.StudyingElsewhere, "家长称在福州上学，未见证明。", 8);
        sentBack.Move(LedgerEntryTrigger.SendBack);
        sentBack.ApprovalNote = "请取得就读学校出具的在读证明。";
        var awaiting = await Report(LedgerList.SuspectedDropout, LedgerSource.Tip, "连续多日未到校，电话联系不上家长。", 4, village, Student(0));
        Verify(awaiting, VerificationOutcome.Dropout, "家访见到祖母，孩子在家玩手机，不愿上学。", 1, "head.teacher");

        // Not a dropout, closed with the reason.
        var elsewhere = await Report(LedgerList.SuspectedDropout, LedgerSource.Reconciliation, "户籍在本村，县内无学籍。", 20, others[1]);
        Verify(elsewhere, VerificationOutcome.StudyingElsewhere, "取得晋安区第三中心小学在读证明。", 15);
        elsewhere.Move(LedgerEntryTrigger.Close);
        elsewhere.Closure = LedgerClosure.NotADropout;
        elsewhere.ApprovedBy = "township.cadre";
        elsewhere.ClosedOn = today.AddDays(-14);

        // Cases in every state.
        await Confirm(await Report(LedgerList.Dropout, LedgerSource.Tip, "初二辍学在家。", 10, others[2], Student(3)), 6, assign: false);
        await Confirm(await Report(LedgerList.Dropout, LedgerSource.Tip, "初一下学期起未到校。", 30, village, Student(4)), 25, assign: true);
        var persuading = await Confirm(await Report(LedgerList.SuspectedDropout, LedgerSource.Tip, "家长不同意孩子上学，要求在家帮工。", 60, village, Student(1)), 50, assign: true);
        persuading.Move(LedgerCaseTrigger.Persuade);
        persuading.Escalate(EscalationStep.WrittenNotice);
        var notEnrolled = await Confirm(await Report(LedgerList.NotEnrolled, LedgerSource.DepartmentList, "县民政局：困境儿童，未入学。", 40, others[3]), 35, assign: true);
        notEnrolled.Move(LedgerCaseTrigger.Persuade);
        var returned = await Confirm(await Report(LedgerList.Dropout, LedgerSource.Tip, "外出打工。", 90, others[4], Student(5)), 80, assign: true);
        returned.Move(LedgerCaseTrigger.Persuade);
        returned.Move(LedgerCaseTrigger.Return);
        returned.ReturnedOn = today.AddDays(-5);
        returned.Placement = PlacementKind.OriginalSchool;
        var followUp = await Confirm(await Report(LedgerList.Dropout, LedgerSource.Tip, "厌学在家。", 150, village, Student(2)), 140, assign: true);
        followUp.Move(LedgerCaseTrigger.Persuade);
        followUp.Move(LedgerCaseTrigger.Return);
        followUp.ReturnedOn = today.AddDays(-100);
        followUp.Placement = PlacementKind.OriginalSchool;
        followUp.Move(LedgerCaseTrigger.FollowUp);
        followUp.FollowUpUntil = today.AddDays(40);
        followUp.SupportPlan = "班主任每周谈心一次，学校减免住宿费。";
        var closing = await Confirm(await Report(LedgerList.Dropout, LedgerSource.Tip, "沉迷网络，不愿上学。", 260, others[5], Student(6)), 250, assign: true);
        closing.Move(LedgerCaseTrigger.Persuade);
        closing.Move(LedgerCaseTrigger.Return);
        closing.ReturnedOn = today.AddDays(-200);
        closing.Placement = PlacementKind.OtherSchool;
        closing.Move(LedgerCaseTrigger.FollowUp);
        closing.FollowUpUntil = today.AddDays(-20);
        closing.Move(LedgerCaseTrigger.RequestClose);
        closing.CloseReason = "返校后跟踪一学期，正常在校。";
        closing.CloseRequestedBy = "township.cadre";
        closing.CloseRequestedAt = clock.StartOfDayUtc(today.AddDays(-3));
        var relapsedEntry = await Report(LedgerList.NotEnrolled, LedgerSource.Tip, "随班就读残疾儿童，入学后又不到校。", 200, others[6]);
        var relapsed = await Confirm(relapsedEntry, 190, assign: true);
        relapsed.Move(LedgerCaseTrigger.Persuade);
        relapsed.Move(LedgerCaseTrigger.Return);
        relapsed.ReturnedOn = today.AddDays(-120);
        relapsed.Placement = PlacementKind.RegularClass;
        relapsed.Move(LedgerCaseTrigger.FollowUp);
        relapsed.Move(LedgerCaseTrigger.Reopen);
        var closedEntry = await Report(LedgerList.Dropout, LedgerSource.Tip, "家庭变故辍学。", 400, others[7 % others.Count]);
        var closed = await Confirm(closedEntry, 390, assign: true);
        foreach (var t in new[] { LedgerCaseTrigger.Persuade, LedgerCaseTrigger.Return, LedgerCaseTrigger.FollowUp, LedgerCaseTrigger.RequestClose, LedgerCaseTrigger.Close })
        {
            if (t == LedgerCaseTrigger.FollowUp)
            {
                closed.ReturnedOn = today.AddDays(-300);
                closed.Placement = PlacementKind.HomeDelivered;
            }
            closed.Move(t);
        }
        closed.CloseReason = "送教上门一学年，家长签字确认。";
        closed.ClosedBy = "county.admin";
        closed.ClosedAt = clock.StartOfDayUtc(today.AddDays(-30));
        closedEntry.Move(LedgerEntryTrigger.Close);
        closedEntry.Closure = LedgerClosure.CaseClosed;
        closedEntry.ClosedOn = today.AddDays(-30);
        await db.SaveChangesAsync(ct);
    }
}
