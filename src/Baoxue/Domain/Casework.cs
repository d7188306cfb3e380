namespace Baoxue.Domain;

/// <summary>文书: the documents of 依法控辍, in the order the law escalates, and the written report when persuasion fails.</summary>
public enum NoticeKind
{
    /// <summary>批评教育记录.</summary>
    CriticismRecord = 1,
    /// <summary>书面告知书 (to the guardians).</summary>
    GuardianNotice = 2,
    /// <summary>责令限期改正通知书 (township or bureau).</summary>
    OrderToCorrect = 3,
    /// <summary>提请司法文书 (court or judicial office named).</summary>
    JudicialReferral = 4,
    /// <summary>提请追究法律责任.</summary>
    LiabilityReferral = 5,
    /// <summary>书面报告 (to the bureau and the township, when persuasion fails).</summary>
    WrittenReport = 6,
}

/// <summary>Who issues a notice: the county's education bureau or the child's township government.</summary>
public enum NoticeIssuer
{
    Bureau = 1,
    Township = 2,
}

/// <summary>
/// One issued document (文书) of a case, numbered 〔年份〕N号 within its issuing unit and year without gaps. What was
/// issued stays as issued (addressee, facts, basis are copied in), so a reprint years later says the same.
/// </summary>
public sealed class CaseNotice : IDualScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public LedgerCase? Case { get; set; }
    public NoticeKind Kind { get; set; }
    public NoticeIssuer Issuer { get; set; }
    /// <summary>The issuing unit's place (the county for the bureau, the township): the numbering's key with the year.</summary>
    public required string IssuerPath { get; set; }
    /// <summary>罗源县教育局, 凤山镇人民政府 …</summary>
    public required string IssuerName { get; set; }
    /// <summary>The 字 before the year: 罗教, 凤山政 …</summary>
    public required string NumberPrefix { get; set; }
    public int Year { get; set; }
    public int Number { get; set; }
    /// <summary>Addressee: the guardians by name, or the bureau and township for a written report.</summary>
    public required string Addressee { get; set; }
    public required string ChildName { get; set; }
    public required string Facts { get; set; }
    public required string LegalBasis { get; set; }
    /// <summary>What the addressee must do (责令 …, 请 …).</summary>
    public required string Demand { get; set; }
    /// <summary>期限: by when; tracked, and a missed one is a task for the responsible people and their superiors.</summary>
    public DateOnly? DeadlineOn { get; set; }
    /// <summary>For a judicial referral: the court or judicial office (人民法院, 司法所) named.</summary>
    public string? Recipient { get; set; }
    public DateOnly IssuedOn { get; set; }
    public required string IssuedBy { get; set; }
    public DateTime IssuedAt { get; set; }
    /// <summary>When the deadline was settled (the child back, or the next step taken), and how.</summary>
    public DateTime? SettledAt { get; set; }
    public string? SettledBy { get; set; }
    public string? SettledNote { get; set; }
    public required string Path { get; set; }
    public string? ResidencePath { get; set; }
    string? IDualScoped.TargetPath => ResidencePath;

    public string DocumentNumber => $"{NumberPrefix}〔{Year}〕{Number}号";
}

/// <summary>The last number a unit issued in a year: advanced and used in the transaction that records the notice.</summary>
public sealed class DocumentSequence
{
    public required string IssuerPath { get; set; }
    public int Year { get; set; }
    public int LastNumber { get; set; }
}

/// <summary>
/// A client's submission key (a phone retrying after a lost answer): the first submission records, later ones with
/// the same key return what it recorded.
/// </summary>
public sealed class CaseworkSubmission
{
    public Guid UserId { get; set; }
    public required string ClientKey { get; set; }
    public required string Kind { get; set; }
    public Guid RecordId { get; set; }
    public DateTime At { get; set; }
}
