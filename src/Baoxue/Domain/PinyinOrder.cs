using System.Globalization;

namespace Baoxue.Domain;

/// <summary>
/// The order a Chinese name list uses: by pinyin (the zh-CN collation of ICU, which orders Han characters by
/// their usual reading), with a surname read as a surname (曾 zēng, not céng; 单 shàn, not dān).
/// <see cref="Key"/> is what the database stores (Students.NameKey) and sorts with ordinal comparison, so the
/// same names come out in the same order from a roster in memory, a page, the API and an export.
/// </summary>
public static class PinyinOrder
{
    private static readonly CompareInfo Chinese = CultureInfo.GetCultureInfo("zh-CN").CompareInfo;

    // Primary strength only: tones are primary differences in the pinyin collation, case and width are not
    // worth a longer key.
    private const CompareOptions Strength = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace | CompareOptions.IgnoreWidth | CompareOptions.IgnoreKanaType;

    /// <summary>Longest key stored; names longer than this sort by their first ~60 characters, then by id.</summary>
    public const int MaxKeyLength = 256;

    // Polyphonic surnames: each is replaced, for sorting only, by a character whose usual reading is the surname's.
    // Two-character surnames come first so that 万俟 is not read as the surname 万.
    private static readonly (string Surname, string ReadAs)[] Surnames =
    [
        ("尉迟", "玉迟"), // yùchí
        ("万俟", "莫其"), // mòqí
        ("长孙", "掌孙"), // zhǎngsūn
        ("单于", "缠于"), // chányú
        ("曾", "增"),   // zēng
        ("单", "善"),   // shàn
        ("解", "谢"),   // xiè
        ("仇", "求"),   // qiú
        ("区", "欧"),   // ōu
        ("查", "渣"),   // zhā
        ("朴", "嫖"),   // piáo
        ("盖", "葛"),   // gě
        ("缪", "妙"),   // miào
        ("覃", "秦"),   // qín
        ("翟", "宅"),   // zhái
        ("召", "邵"),   // shào
        ("种", "虫"),   // chóng
        ("秘", "必"),   // bì
        ("员", "运"),   // yùn
        ("繁", "婆"),   // pó
        ("句", "勾"),   // gōu
        ("过", "锅"),   // guō
        ("宓", "伏"),   // fú
        ("乐", "悦"),   // yuè
        ("隗", "伟"),   // wěi
        ("折", "舌"),   // shé
        ("柏", "百"),   // bǎi
        ("薄", "博"),   // bó
        ("沈", "审"),   // shěn
        ("重", "虫"),   // chóng
        ("能", "耐"),   // nài
        ("燕", "烟"),   // yān
        ("相", "香"),   // xiāng
        ("卜", "补"),   // bǔ
        ("令狐", "铃狐"), // línghú
    ];

    /// <summary>The name as it is read for sorting: a polyphonic surname replaced by a character of its reading.</summary>
    public static string Reading(string name)
    {
        var trimmed = name.Trim();
        foreach (var (surname, readAs) in Surnames)
        {
            // The surname alone is still a surname (a list filtered by "曾" sorts the same).
            if (trimmed.StartsWith(surname, StringComparison.Ordinal))
            {
                return readAs + trimmed[surname.Length..];
            }
        }
        return trimmed;
    }

    /// <summary>
    /// A string whose ordinal order is the names' pinyin order: the hexadecimal ICU sort key of <see cref="Reading"/>.
    /// Pure: the same name gives the same key on every machine with the same ICU version (see docs/decisions/0019).
    /// </summary>
    public static string Key(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }
        // Without ICU's closing zero byte, the key of a name's start is the start of the name's key: a search by
        // surname is a range of keys.
        var data = Chinese.GetSortKey(Reading(name), Strength).KeyData.AsSpan();
        var length = data.Length;
        while (length > 0 && data[length - 1] == 0)
        {
            length--;
        }
        var key = Convert.ToHexStringLower(data[..length]);
        return key.Length <= MaxKeyLength ? key : key[..MaxKeyLength];
    }

    /// <summary>Compares names as <see cref="Key"/> orders them, for lists sorted in memory (rosters, returns).</summary>
    public static readonly StringComparer Comparer = new KeyComparer();

    private sealed class KeyComparer : StringComparer
    {
        public override int Compare(string? x, string? y)
        {
            var byKey = string.CompareOrdinal(Key(x), Key(y));
            return byKey != 0 ? byKey : string.CompareOrdinal(x, y);
        }

        public override bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public override int GetHashCode(string obj) => StringComparer.Ordinal.GetHashCode(obj);
    }
}
