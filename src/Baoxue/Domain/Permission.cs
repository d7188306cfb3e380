namespace Baoxue.Domain;

/// <summary>
/// What a role may do. Each is an authorization policy of the same name; every endpoint and page
/// declares exactly one, and the authorization-matrix test checks the lot against every role.
/// Where a role may act, its jurisdiction (path) still limits which records.
/// </summary>
public static class Permission
{
    public const string OrgView = "org.view";
    public const string DivisionsEdit = "divisions.edit";
    public const string SchoolsEdit = "schools.edit";
    public const string ClassesEdit = "classes.edit";
    public const string SchoolYearsEdit = "schoolyears.edit";
    public const string StaffView = "staff.view";
    public const string StaffEdit = "staff.edit";
    public const string DepartmentsView = "departments.view";
    public const string DepartmentsEdit = "departments.edit";
    public const string AccountsManage = "accounts.manage";
    /// <summary>Create, rotate and revoke service accounts (machines): the county administrator only, whatever else may manage people's accounts.</summary>
    public const string ServiceAccountsManage = "serviceaccounts.manage";
    public const string AuditView = "audit.view";
    public const string RegistryView = "registry.view";
    public const string RegistryEdit = "registry.edit";
    /// <summary>See ID numbers and guardians' phones unmasked; every reveal is audited.</summary>
    public const string RegistryReveal = "registry.reveal";
    public const string StatusChangeRequest = "statuschange.request";
    /// <summary>Decide a stage of a status change: school stages by the school, bureau stages by the bureau.</summary>
    public const string StatusChangeApprove = "statuschange.approve";
    public const string RollCallManage = "rollcall.manage";
    public const string RollCallConfirm = "rollcall.confirm";
    // Ledger (台账, issue 9 part A)
    public const string LedgerView = "ledger.view";
    /// <summary>Report a child (线索): any education-line user, village cadres, department liaisons.</summary>
    public const string LedgerReport = "ledger.report";
    public const string LedgerVerify = "ledger.verify";
    /// <summary>Approve a verification: the bureau, or the township for the children living in its villages.</summary>
    public const string LedgerApprove = "ledger.approve";
    /// <summary>Name a case's two responsible lines: the county or the township.</summary>
    public const string LedgerAssign = "ledger.assign";
    /// <summary>Import a member department's list.</summary>
    public const string LedgerImport = "ledger.import";
    // Attendance, leave and the absence clock (issue 10).
    public const string AttendanceView = "attendance.view";
    public const string AttendanceTake = "attendance.take";
    public const string CalendarEdit = "calendar.edit";
    public const string LeaveRecord = "leave.record";
    /// <summary>Approve long leave and act on the absence clock's alerts: the school's part.</summary>
    public const string LeaveApprove = "leave.approve";
    public const string ClockFollowUp = "clock.followup";
    public const string ClockRunNow = "clock.run";
    // Holiday plans (寒暑假控辍预案) and the term-start return check (开学返校核查), issue 10.
    /// <summary>Draw up, change and file the school's holiday plan.</summary>
    public const string HolidayPlanFile = "holiday.plan";
    /// <summary>Return a filed plan to its school with a reason: the county.</summary>
    public const string HolidayPlanReturn = "holiday.return";
    /// <summary>Record a home visit made during a holiday.</summary>
    public const string HolidayVisitRecord = "holiday.visit";
    /// <summary>Confirm a class's children back (or not) at the start of term.</summary>
    public const string ReturnCheckConfirm = "returncheck.confirm";
    // Reconciliation (人籍比对, issue 11).
    public const string ReconciliationView = "reconciliation.view";
    public const string HouseholdImport = "reconciliation.import";
    public const string ReconciliationRun = "reconciliation.run";
    /// <summary>Decide a fuzzy candidate, record an outcome with evidence.</summary>
    public const string ReconciliationDecide = "reconciliation.decide";
    /// <summary>Explain a child missing from a transition check; record an entry notice's receipt as returned.</summary>
    public const string ReconciliationFollowUp = "reconciliation.followup";
    /// <summary>Record household visits of the census (学户普查).</summary>
    public const string CensusRecord = "census.record";
    // Casework (issue 9 part B): attachments, persuasion attempts, notices, return, follow-up, close-out.
    /// <summary>Open and list files; the owner's feature decides which (an attachment is as visible as its record).</summary>
    public const string AttachmentsView = "attachments.view";
    public const string AttachmentsAdd = "attachments.add";
    public const string CaseworkView = "casework.view";
    /// <summary>Record attempts, issue notices, record the return and follow-up, ask for close-out.</summary>
    public const string CaseworkEdit = "casework.edit";
    /// <summary>The county's approval of a close-out (销号).</summary>
    public const string CaseworkApprove = "casework.approve";
    // Reporting rhythm, statistical tables and phased campaigns (issue 12, reporting).
    public const string ReportingView = "reporting.view";
    /// <summary>Generate, edit and submit the unit's own reports (学校月报, 季度通报, 学期/学年总结).</summary>
    public const string ReportingPrepare = "reporting.prepare";
    /// <summary>Approve, return and archive the reports of the level below.</summary>
    public const string ReportingReview = "reporting.review";
    public const string CampaignsView = "campaigns.view";
    /// <summary>Open a county campaign; confirm or return the schools' phases.</summary>
    public const string CampaignsManage = "campaigns.manage";
    /// <summary>A school marks its phase done with a note.</summary>
    public const string CampaignsMark = "campaigns.mark";
    // Rates, targets, prepared figures and snapshots (issue 12, decision 0027).
    public const string RatesView = "rates.view";
    /// <summary>Set the targets of the own jurisdiction.</summary>
    public const string RatesTargets = "rates.targets";
    /// <summary>Recompute the figures now, or freeze a snapshot (a report being filed).</summary>
    public const string RatesSnapshot = "rates.snapshot";
    /// <summary>Any signed-in account: home page, own settings.</summary>
    public const string SignedIn = "signed-in";

    private static readonly Role[] Everyone = Enum.GetValues<Role>();
    private static readonly Role[] EducationLine = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher, Role.TownshipCadre, Role.VillageCadre, Role.Inspector, Role.ReadOnlyLeader, Role.TownshipAdmin];

    private static readonly Dictionary<string, Role[]> CountyGrants = new()
    {
        [SignedIn] = Everyone,
        [OrgView] = EducationLine,
        [DivisionsEdit] = [Role.CountyAdmin],
        [SchoolsEdit] = [Role.CountyAdmin, Role.BureauStaff],
        [ClassesEdit] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        [SchoolYearsEdit] = [Role.CountyAdmin],
        [StaffView] = [Role.TownshipAdmin, Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.TownshipCadre, Role.VillageCadre, Role.DepartmentLiaison, Role.Inspector, Role.ReadOnlyLeader],
        [StaffEdit] = [Role.TownshipAdmin, Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        [DepartmentsView] = [Role.CountyAdmin, Role.BureauStaff, Role.DepartmentLiaison, Role.TownshipCadre, Role.Inspector, Role.ReadOnlyLeader],
        [DepartmentsEdit] = [Role.CountyAdmin],
        // Accounts (issue 13): administrators manage the accounts of their jurisdiction, within AccountRules.
        [AccountsManage] = [Role.CountyAdmin, Role.SchoolAdmin, Role.TownshipAdmin],
        [ServiceAccountsManage] = [Role.CountyAdmin],
        [AuditView] = [Role.CountyAdmin, Role.Inspector],
        [RegistryView] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher, Role.TownshipCadre, Role.Inspector, Role.ReadOnlyLeader],
        [RegistryEdit] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        [RegistryReveal] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        [StatusChangeRequest] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        [StatusChangeApprove] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        [RollCallManage] = [Role.CountyAdmin, Role.BureauStaff],
        [RollCallConfirm] = [Role.SchoolAdmin, Role.HeadTeacher],
        // Ledger
        [LedgerView] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.TownshipCadre, Role.VillageCadre, Role.Inspector, Role.ReadOnlyLeader],
        [LedgerReport] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher, Role.TownshipCadre, Role.VillageCadre, Role.DepartmentLiaison],
        [LedgerVerify] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.TownshipCadre, Role.VillageCadre],
        [LedgerApprove] = [Role.CountyAdmin, Role.BureauStaff, Role.TownshipCadre],
        [LedgerAssign] = [Role.CountyAdmin, Role.BureauStaff, Role.TownshipCadre],
        [LedgerImport] = [Role.CountyAdmin, Role.BureauStaff, Role.DepartmentLiaison],
        // Attendance (issue 10).
        [AttendanceView] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher, Role.TownshipCadre, Role.Inspector, Role.ReadOnlyLeader],
        [AttendanceTake] = [Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher],
        [CalendarEdit] = [Role.CountyAdmin, Role.SchoolAdmin],
        [LeaveRecord] = [Role.SchoolAdmin, Role.HeadTeacher],
        [LeaveApprove] = [Role.SchoolAdmin],
        [ClockFollowUp] = [Role.SchoolAdmin, Role.HeadTeacher],
        [ClockRunNow] = [Role.CountyAdmin],
        // Holiday plans and the return check (issue 10).
        [HolidayPlanFile] = [Role.SchoolAdmin],
        [HolidayPlanReturn] = [Role.CountyAdmin, Role.BureauStaff],
        [HolidayVisitRecord] = [Role.SchoolAdmin, Role.HeadTeacher],
        [ReturnCheckConfirm] = [Role.SchoolAdmin, Role.HeadTeacher],
        // Reconciliation (issue 11).
        [ReconciliationView] = [Role.CountyAdmin, Role.BureauStaff, Role.TownshipCadre, Role.VillageCadre, Role.SchoolAdmin, Role.Inspector, Role.ReadOnlyLeader],
        [HouseholdImport] = [Role.CountyAdmin, Role.BureauStaff],
        [ReconciliationRun] = [Role.CountyAdmin, Role.BureauStaff],
        [ReconciliationDecide] = [Role.CountyAdmin, Role.BureauStaff, Role.TownshipCadre, Role.VillageCadre],
        [ReconciliationFollowUp] = [Role.CountyAdmin, Role.BureauStaff, Role.TownshipCadre, Role.VillageCadre, Role.SchoolAdmin],
        [CensusRecord] = [Role.CountyAdmin, Role.BureauStaff, Role.TownshipCadre, Role.VillageCadre],
        // Casework
        [AttachmentsView] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher, Role.TownshipCadre, Role.VillageCadre, Role.Inspector, Role.ReadOnlyLeader, Role.DepartmentLiaison],
        [AttachmentsAdd] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.TownshipCadre, Role.VillageCadre, Role.DepartmentLiaison],
        [CaseworkView] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.TownshipCadre, Role.VillageCadre, Role.Inspector, Role.ReadOnlyLeader],
        [CaseworkEdit] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.TownshipCadre, Role.VillageCadre],
        [CaseworkApprove] = [Role.CountyAdmin, Role.BureauStaff],
        // Reporting (issue 12).
        [ReportingView] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.Inspector, Role.ReadOnlyLeader],
        [ReportingPrepare] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        [ReportingReview] = [Role.CountyAdmin, Role.BureauStaff],
        [CampaignsView] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.Inspector, Role.ReadOnlyLeader],
        [CampaignsManage] = [Role.CountyAdmin, Role.BureauStaff],
        [CampaignsMark] = [Role.SchoolAdmin],
        // Rates
        [RatesView] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.TownshipCadre, Role.TownshipAdmin, Role.Inspector, Role.ReadOnlyLeader],
        [RatesTargets] = [Role.CountyAdmin],
        [RatesSnapshot] = [Role.CountyAdmin, Role.BureauStaff],
    };

    // Above the county (issue 12, decision 0026): the regional roles read the counties below and change no child's record;
    // the regional administrator manages accounts. (督学 and 领导 bound to a city or province keep their own grants above.)
    private static readonly Dictionary<string, Role[]> RegionalGrants = new()
    {
        [OrgView] = [Role.RegionalStaff, Role.RegionalAdmin],
        [StaffView] = [Role.RegionalStaff, Role.RegionalAdmin],
        [DepartmentsView] = [Role.RegionalStaff],
        [AccountsManage] = [Role.RegionalAdmin],
        [AuditView] = [Role.RegionalAdmin],
        [RegistryView] = [Role.RegionalStaff],
        [LedgerView] = [Role.RegionalStaff],
        [AttendanceView] = [Role.RegionalStaff],
        [ReconciliationView] = [Role.RegionalStaff],
        [AttachmentsView] = [Role.RegionalStaff],
        [CaseworkView] = [Role.RegionalStaff],
        // Reporting: a city reviews its counties' reports and files its own term and year summaries to the province.
        [ReportingView] = [Role.RegionalStaff],
        [ReportingPrepare] = [Role.RegionalStaff],
        [ReportingReview] = [Role.RegionalStaff],
        [CampaignsView] = [Role.RegionalStaff],
        // Rates: the city and province read the figures of the counties below.
        [RatesView] = [Role.RegionalStaff],
    };

    public static readonly IReadOnlyDictionary<string, Role[]> Grants = CountyGrants.ToDictionary(
        g => g.Key, g => (Role[])[.. g.Value, .. RegionalGrants.GetValueOrDefault(g.Key, [])]);

    public static bool Allows(this Role role, string permission) =>
        Grants.TryGetValue(permission, out var roles) && roles.Contains(role);
}
