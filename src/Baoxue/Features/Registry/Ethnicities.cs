namespace Baoxue.Features.Registry;

/// <summary>民族 by GB 3304 code. <see cref="All"/> holds the names as the national standard writes them (what imports match);
/// screens show them through the string table (<c>Ethnicity.01</c> …), so English readers get English names.</summary>
public static class Ethnicities
{
    public static readonly IReadOnlyList<(string Code, string Name)> All =
    [
        ("01", "汉族"), ("02", "蒙古族"), ("03", "回族"), ("04", "藏族"), ("05", "维吾尔族"), ("06", "苗族"), ("07", "彝族"), ("08", "壮族"),
        ("09", "布依族"), ("10", "朝鲜族"), ("11", "满族"), ("12", "侗族"), ("13", "瑶族"), ("14", "白族"), ("15", "土家族"), ("16", "哈尼族"),
        ("17", "哈萨克族"), ("18", "傣族"), ("19", "黎族"), ("20", "傈僳族"), ("21", "佤族"), ("22", "畲族"), ("23", "高山族"), ("24", "拉祜族"),
        ("25", "水族"), ("26", "东乡族"), ("27", "纳西族"), ("28", "景颇族"), ("29", "柯尔克孜族"), ("30", "土族"), ("31", "达斡尔族"), ("32", "仫佬族"),
        ("33", "羌族"), ("34", "布朗族"), ("35", "撒拉族"), ("36", "毛南族"), ("37", "仡佬族"), ("38", "锡伯族"), ("39", "阿昌族"), ("40", "普米族"),
        ("41", "塔吉克族"), ("42", "怒族"), ("43", "乌孜别克族"), ("44", "俄罗斯族"), ("45", "鄂温克族"), ("46", "德昂族"), ("47", "保安族"), ("48", "裕固族"),
        ("49", "京族"), ("50", "塔塔尔族"), ("51", "独龙族"), ("52", "鄂伦春族"), ("53", "赫哲族"), ("54", "门巴族"), ("55", "珞巴族"), ("56", "基诺族"),
        ("97", "其他"), ("98", "外国血统中国籍人士"),
    ];

    private static readonly Dictionary<string, string> ByName = All.ToDictionary(e => e.Name, e => e.Code);

    public static string Name(string code) => All.FirstOrDefault(e => e.Code == code).Name ?? code;

    /// <summary>The name in the interface language.</summary>
    public static string Name(string code, Microsoft.Extensions.Localization.IStringLocalizer text) =>
        text[$"Ethnicity.{code}"] is { ResourceNotFound: false } found ? found.Value : Name(code);

    /// <summary>Accepts a code ("22", "2"), a full name ("畲族") or a short one ("畲").</summary>
    public static string? Normalize(string? text)
    {
        var t = (text ?? "").Trim();
        if (t.Length == 0)
        {
            return null;
        }
        if (t.All(char.IsAsciiDigit) && t.Length <= 2)
        {
            var code = t.PadLeft(2, '0');
            return All.Any(e => e.Code == code) ? code : null;
        }
        return ByName.TryGetValue(t, out var byName) ? byName : ByName.TryGetValue(t + "族", out var byShort) ? byShort : null;
    }
}
