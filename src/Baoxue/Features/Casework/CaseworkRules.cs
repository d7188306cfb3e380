using Baoxue.Data;
using Baoxue.Domain;

namespace Baoxue.Features.Casework;

/// <summary>Pure rules of casework: who may act, the suggested grade on return, the follow-up period.</summary>
public static class CaseworkRules
{
    public static bool MayEdit(BaoxueDb db) => db.CurrentUser.Role is not { } role || role.Allows(Permission.CaseworkEdit);

    /// <summary>Which rule chose the grade, shown beside the suggestion.</summary>
    public enum GradeRule
    {
        SameGrade = 1,
        OneLower = 2,
        ByAge = 3,
        /// <summary>No grade known when the child left (never enrolled): by age.</summary>
        NeverEnrolled = 4,
    }

    public sealed record GradeSuggestion(int Grade, GradeRule Rule, int MonthsOut);

    /// <summary>
    /// The grade a returning child is suggested: out less than <see cref="CaseworkOptions.SameGradeMonths"/> months,
    /// the grade they left; up to <see cref="CaseworkOptions.OneGradeLowerMonths"/>, one lower; longer (or never
    /// enrolled), the grade of their age (six by 31 August starts grade 1).
    /// </summary>
    public static GradeSuggestion SuggestGrade(int? gradeLeft, DateOnly leftOn, DateOnly returnOn, DateOnly birthDate, CaseworkOptions options)
    {
        var months = Math.Max(0, (returnOn.Year - leftOn.Year) * 12 + returnOn.Month - leftOn.Month - (returnOn.Day < leftOn.Day ? 1 : 0));
        if (gradeLeft is not { } left)
        {
            return new(ByAge(birthDate, returnOn), GradeRule.NeverEnrolled, months);
        }
        if (months < options.SameGradeMonths)
        {
            return new(Math.Clamp(left, 1, 9), GradeRule.SameGrade, months);
        }
        if (months <= options.OneGradeLowerMonths)
        {
            return new(Math.Clamp(left - 1, 1, 9), GradeRule.OneLower, months);
        }
        return new(ByAge(birthDate, returnOn), GradeRule.ByAge, months);
    }

    /// <summary>The grade of a child's age in the school year containing <paramref name="on"/>.</summary>
    public static int ByAge(DateOnly birthDate, DateOnly on)
    {
        var startYear = SchoolYear.StartYearOf(on);
        var age = startYear - birthDate.Year - (birthDate > new DateOnly(birthDate.Year, 8, 31) ? 1 : 0);
        return Math.Clamp(age - 5, 1, 9);
    }

    /// <summary>The notice kinds that are steps of the legal escalation, and their step.</summary>
    public static EscalationStep? StepOf(NoticeKind kind) => kind switch
    {
        NoticeKind.CriticismRecord => EscalationStep.Criticism,
        NoticeKind.GuardianNotice => EscalationStep.WrittenNotice,
        NoticeKind.OrderToCorrect => EscalationStep.OrderToCorrect,
        NoticeKind.JudicialReferral => EscalationStep.JudicialReferral,
        NoticeKind.LiabilityReferral => EscalationStep.LegalLiability,
        _ => null,
    };

    /// <summary>The official name and the 字 of a unit: 罗源县教育局 / 罗教, 凤山镇人民政府 / 凤山政.</summary>
    public static (string Name, string Prefix) IssuerNames(NoticeIssuer issuer, string placeName) => issuer switch
    {
        NoticeIssuer.Bureau => (placeName + "教育局", placeName[..1] + "教"),
        _ => (placeName + "人民政府", Short(placeName) + "政"),
    };

    private static string Short(string township)
    {
        foreach (var suffix in new[] { "街道", "镇", "乡" })
        {
            if (township.Length > suffix.Length && township.EndsWith(suffix, StringComparison.Ordinal))
            {
                return township[..^suffix.Length];
            }
        }
        return township;
    }

    /// <summary>Official dates on a document are written in Chinese numerals: 二〇二六年十二月一日.</summary>
    public static string OfficialDate(DateOnly d)
    {
        string[] digits = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        var year = string.Concat(d.Year.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => digits[c - '0']));
        return $"{year}年{Tens(d.Month)}月{Tens(d.Day)}日";

        string Tens(int n) => n switch
        {
            < 10 => digits[n],
            10 => "十",
            < 20 => "十" + digits[n - 10],
            _ => digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]),
        };
    }
}
