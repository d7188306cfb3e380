namespace Baoxue.Features.Holidays;

/// <summary>Settings of the holiday plans and the return check (section "Holiday").</summary>
public sealed class HolidayOptions
{
    /// <summary>School days at the start of a term in which head teachers confirm their classes (开学返校核查).</summary>
    public int ReturnCheckSchoolDays { get; set; } = 3;

    /// <summary>Days before a holiday starts by which the school's plan is due (the home task shows from then on).</summary>
    public int PlanDueDaysBefore { get; set; } = 14;
}
