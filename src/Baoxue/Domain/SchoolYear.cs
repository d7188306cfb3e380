namespace Baoxue.Domain;

/// <summary>学年: "2026—2027学年", from 1 September to 31 August, with two terms.</summary>
public sealed class SchoolYear
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int StartYear { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public bool IsCurrent { get; set; }
    public List<Term> Terms { get; set; } = [];

    public static SchoolYear Create(int startYear)
    {
        var year = new SchoolYear
        {
            StartYear = startYear,
            StartDate = new DateOnly(startYear, 9, 1),
            EndDate = new DateOnly(startYear + 1, 8, 31),
        };
        year.Terms.Add(new Term { SchoolYearId = year.Id, Number = 1, StartDate = new DateOnly(startYear, 9, 1), EndDate = new DateOnly(startYear + 1, 1, 31) });
        year.Terms.Add(new Term { SchoolYearId = year.Id, Number = 2, StartDate = new DateOnly(startYear + 1, 2, 1), EndDate = new DateOnly(startYear + 1, 8, 31) });
        return year;
    }

    /// <summary>The school year a date falls in: September starts a new one.</summary>
    public static int StartYearOf(DateOnly date) => date.Month >= 9 ? date.Year : date.Year - 1;
}

/// <summary>学期: 第一学期 (autumn) or 第二学期 (spring).</summary>
public sealed class Term
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolYearId { get; set; }
    public int Number { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
}
