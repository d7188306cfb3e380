using System.Globalization;
using Baoxue.Domain;

namespace Baoxue.Infrastructure.Localization;

/// <summary>Dates, grades and school years the way Chinese officials write them (and a plain English form).</summary>
public static class ChineseFormat
{
    private static bool English => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal);

    public static string Date(DateOnly date) =>
        English ? date.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : $"{date.Year}年{date.Month}月{date.Day}日";

    public static string Month(int year, int month) =>
        English ? new DateOnly(year, month, 1).ToString("MMM yyyy", CultureInfo.InvariantCulture) : $"{year}年{month}月";

    /// <summary>A birth date as the user may see it: the day only where <see cref="IdDisclosure"/> allows.</summary>
    public static string Birth(DateOnly date, IdDisclosure disclosure) =>
        disclosure.BirthDate(date) is { } day ? Date(day) : Month(date.Year, date.Month);

    public static string DateTimeLocal(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        return English
            ? local.ToString("d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)
            : $"{local.Year}年{local.Month}月{local.Day}日 {local:HH:mm:ss}";
    }

    public static string SchoolYear(int startYear) => English ? $"{startYear}–{startYear + 1}" : $"{startYear}—{startYear + 1}学年";

    public static string Term(int number) => English ? (number == 1 ? "Autumn term" : "Spring term") : (number == 1 ? "第一学期" : "第二学期");

    private static readonly string[] Numerals = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    public static string Grade(int grade) => English ? $"Grade {grade}" : $"{Numerals[grade]}年级";

    public static string ClassName(int grade, int number) => English ? $"Grade {grade} Class {number}" : $"{Numerals[grade]}年级（{number}）班";

    public static string ClassName(SchoolClass c) => ClassName(c.Grade, c.Number);

    /// <summary>Reads a grade as sheets write it: "3", "三年级", "初一", "七年级", "Grade 3".</summary>
    public static bool TryParseGrade(string? text, out int grade)
    {
        grade = 0;
        var t = (text ?? "").Trim().Replace("年级", "", StringComparison.Ordinal).Replace("Grade", "", StringComparison.OrdinalIgnoreCase).Trim();
        if (t.StartsWith('初') && t.Length == 2 && Array.IndexOf(Numerals, t[1..]) is >= 1 and <= 3 and var junior)
        {
            grade = junior + 6;
            return true;
        }
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || (n = Array.IndexOf(Numerals, t)) > 0)
        {
            grade = n;
            return grade is >= 1 and <= 9;
        }
        return false;
    }

    /// <summary>Reads a school year as "2026", "2026-2027", "2026—2027学年" or "2026-2027学年".</summary>
    public static bool TryParseSchoolYear(string? text, out int startYear)
    {
        var t = (text ?? "").Trim();
        startYear = 0;
        return t.Length >= 4 && int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out startYear) && startYear is > 2000 and < 2100;
    }

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
