using Baoxue.Domain;
using Baoxue.Features.Reconciliation.Matching;

namespace Baoxue.Features.Reconciliation;

/// <summary>The <c>Reconciliation</c> settings: the cut-off date, the age bands and the fuzzy pass.</summary>
public sealed class ReconciliationOptions
{
    /// <summary>Ages are taken on this day of the year (default 31 August).</summary>
    public int CutOffMonth { get; set; } = 8;
    public int CutOffDay { get; set; } = 31;
    /// <summary>First age of each band: 3 pre-school, 7 primary, 13 junior secondary, and the last compulsory age (15).</summary>
    public int PreSchoolFrom { get; set; } = 3;
    public int PrimaryFrom { get; set; } = 7;
    public int JuniorFrom { get; set; } = 13;
    public int JuniorTo { get; set; } = 15;
    /// <summary>幼升小: a child this old on the cut-off date starts grade 1 that autumn (entry notices, the entry check).</summary>
    public int EntryAge { get; set; } = 6;
    /// <summary>After this day of the entry year, a child still missing from a transition check goes on the ledger.</summary>
    public int TransitionDeadlineMonth { get; set; } = 9;
    public int TransitionDeadlineDay { get; set; } = 30;

    public DateOnly TransitionDeadline(int year) => new(year, TransitionDeadlineMonth, Math.Min(TransitionDeadlineDay, DateTime.DaysInMonth(year, TransitionDeadlineMonth)));

    /// <summary>The cut-off of an entry year.</summary>
    public DateOnly CutOffOf(int year) => new(year, CutOffMonth, Math.Min(CutOffDay, DateTime.DaysInMonth(year, CutOffMonth)));
    public FuzzyOptions Fuzzy { get; set; } = new();

    /// <summary>The cut-off on or before today: this year's if it has passed, else last year's.</summary>
    public DateOnly DefaultCutOff(DateOnly today)
    {
        var day = Math.Min(CutOffDay, DateTime.DaysInMonth(today.Year, CutOffMonth));
        var thisYear = new DateOnly(today.Year, CutOffMonth, day);
        return thisYear <= today ? thisYear : thisYear.AddYears(-1);
    }

    public static int AgeOn(DateOnly birth, DateOnly on)
    {
        var age = on.Year - birth.Year;
        return birth.AddYears(age) > on ? age - 1 : age;
    }

    public AgeBand Band(DateOnly birth, DateOnly cutOff)
    {
        var age = AgeOn(birth, cutOff);
        return age < PreSchoolFrom ? AgeBand.Infant
            : age < PrimaryFrom ? AgeBand.PreSchool
            : age < JuniorFrom ? AgeBand.Primary
            : age <= JuniorTo ? AgeBand.JuniorSecondary
            : AgeBand.Older;
    }

    public static bool Compulsory(AgeBand band) => band is AgeBand.Primary or AgeBand.JuniorSecondary;
}
