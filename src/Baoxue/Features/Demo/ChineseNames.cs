using System.Globalization;
using Baoxue.Domain;

namespace Baoxue.Features.Demo;

/// <summary>Which surname frequency table <see cref="ChineseNames"/> draws from.</summary>
public enum SurnameRegion
{
    /// <summary>Nation-wide frequencies (Ministry of Public Security household register statistics, rounded).</summary>
    National,

    /// <summary>
    /// Coastal Fujian, tuned for the demo county (Luoyuan, Fuzhou): Chen, Lin, Huang, Zheng lead,
    /// and the She-ethnicity surnames Lei, Lan and Zhong are common.
    /// </summary>
    Fujian,
}

/// <summary>
/// Deterministic generator of realistic demo data: names, mobile numbers and identity numbers.
/// The same seed always yields the same sequence (backed by <see cref="System.Random"/>(seed)).
/// Not thread-safe: use one instance per thread.
/// </summary>
public sealed class ChineseNames
{
    /// <summary>
    /// Separator between the parts of transliterated minority names (U+00B7 MIDDLE DOT), as used on ID cards.
    /// </summary>
    public const char MiddleDot = '\u00B7';

    /// <summary>
    /// A name containing a character outside the Basic Multilingual Plane (U+20BB7, a surrogate pair in UTF-16),
    /// for testing storage, length counting and rendering.
    /// </summary>
    public const string RareCharacterExample = "林\U00020BB7";

    // Weights are percentages x 100, rounded.
    private static readonly WeightedPool NationalSurnames = new(
    [
        ("王", 712), ("李", 700), ("张", 674), ("刘", 510), ("陈", 461), ("杨", 322), ("黄", 245), ("赵", 229),
        ("吴", 205), ("周", 195), ("徐", 158), ("孙", 144), ("马", 129), ("朱", 124), ("胡", 117), ("郭", 114),
        ("何", 108), ("林", 103), ("罗", 102), ("高", 101), ("郑", 88), ("梁", 85), ("谢", 72), ("宋", 67),
        ("唐", 66), ("许", 63), ("韩", 61), ("冯", 58), ("邓", 57), ("曹", 56), ("彭", 54), ("曾", 53),
        ("肖", 52), ("田", 50), ("董", 49), ("潘", 48), ("袁", 47), ("蔡", 46), ("蒋", 45), ("余", 44),
        ("于", 43), ("杜", 42), ("叶", 41), ("程", 40), ("魏", 39), ("苏", 38), ("吕", 37), ("丁", 36),
        ("任", 35), ("卢", 34), ("姚", 33), ("沈", 33), ("钟", 32), ("姜", 31), ("崔", 30), ("谭", 29),
        ("陆", 29), ("范", 28), ("汪", 27), ("廖", 27), ("石", 26), ("金", 26), ("韦", 25), ("贾", 25),
        ("夏", 24), ("付", 24), ("方", 23), ("邹", 22), ("熊", 22), ("白", 21), ("孟", 21), ("秦", 20),
        ("邱", 20), ("侯", 19), ("江", 19), ("尹", 18), ("薛", 18), ("闫", 18), ("段", 17), ("雷", 17),
        ("龙", 16), ("黎", 16), ("史", 16), ("陶", 15), ("贺", 15), ("毛", 14), ("郝", 14), ("顾", 14),
        ("龚", 13), ("邵", 13), ("万", 13), ("覃", 12), ("武", 12), ("钱", 12), ("戴", 11), ("严", 11),
        ("莫", 10), ("孔", 10), ("向", 10), ("常", 10), ("汤", 10), ("康", 9), ("易", 9), ("乔", 9),
        ("赖", 9), ("文", 9), ("施", 8), ("洪", 8), ("辛", 8), ("柯", 7), ("庄", 7), ("蓝", 5),
        ("欧阳", 5), ("上官", 1), ("司马", 1), ("诸葛", 1), ("皇甫", 1), ("令狐", 1),
    ]);

    private static readonly WeightedPool FujianSurnames = new(
    [
        ("陈", 1200), ("林", 1000), ("黄", 600), ("郑", 450), ("张", 380), ("吴", 350), ("王", 320), ("李", 300),
        ("刘", 230), ("杨", 190), ("雷", 180), ("许", 170), ("蔡", 150), ("钟", 140), ("郭", 130), ("蓝", 130),
        ("洪", 120), ("曾", 120), ("谢", 110), ("叶", 110), ("周", 100), ("邱", 90), ("游", 80), ("江", 80),
        ("卓", 70), ("詹", 60), ("魏", 60), ("方", 60), ("朱", 60), ("胡", 55), ("何", 55), ("徐", 55),
        ("苏", 55), ("沈", 50), ("潘", 50), ("高", 50), ("罗", 50), ("卢", 45), ("余", 45), ("庄", 45),
        ("柯", 40), ("傅", 40), ("施", 40), ("赖", 40), ("颜", 35), ("彭", 35), ("董", 30), ("薛", 30),
        ("孙", 30), ("马", 30), ("梁", 30), ("宋", 30), ("唐", 25), ("韩", 25), ("冯", 25), ("邓", 25),
        ("曹", 25), ("肖", 25), ("廖", 25), ("田", 20), ("袁", 20), ("蒋", 20), ("杜", 20), ("程", 20),
        ("吕", 20), ("丁", 20), ("姚", 20), ("范", 20), ("石", 20), ("邹", 20), ("于", 15), ("任", 15),
        ("姜", 15), ("谭", 15), ("陆", 15), ("汪", 15), ("金", 15), ("夏", 15), ("付", 15), ("熊", 15),
        ("黎", 15), ("戴", 15), ("严", 15), ("池", 15), ("阮", 15), ("崔", 10), ("贾", 10), ("白", 10),
        ("孟", 10), ("秦", 10), ("侯", 10), ("尹", 10), ("段", 10), ("龙", 10), ("史", 10), ("陶", 10),
        ("贺", 10), ("毛", 10), ("顾", 10), ("龚", 10), ("邵", 10), ("万", 10), ("钱", 10), ("欧阳", 10),
        ("韦", 5), ("闫", 5), ("郝", 5), ("武", 5), ("上官", 3), ("司马", 1), ("诸葛", 1),
    ]);

    // Popular given names of children born 2005-2020.
    private static readonly string[] BoyNames =
    [
        "子轩", "浩宇", "浩然", "梓轩", "宇轩", "子豪", "俊杰", "宇航", "子墨", "一诺", "皓轩", "博文",
        "思远", "沐阳", "梓睿", "宇泽", "天佑", "铭泽", "晨阳", "明轩", "睿泽", "浩轩", "奕辰", "俊熙",
        "文博", "嘉豪", "子健", "弘毅", "致远", "梓豪", "睿哲", "承泽", "锦程", "逸凡", "子骞", "昊天",
        "宇辰", "嘉懿", "梓航", "家豪", "俊宇", "志豪", "晟睿", "煜祺", "瑾瑜", "子涵",
    ];

    private static readonly string[] GirlNames =
    [
        "子涵", "欣怡", "诗涵", "雨桐", "梓涵", "可馨", "语桐", "一诺", "雨涵", "思涵", "欣妍", "梓萱",
        "诗琪", "佳怡", "若曦", "依诺", "芷若", "紫涵", "梦琪", "雨欣", "可欣", "思琪", "语嫣", "诗雨",
        "欣然", "梓琪", "安琪", "晨曦", "奕彤", "雅琪", "梓晴", "雨萱", "心怡", "佳琪", "书瑶", "婉清",
        "静怡", "嘉怡", "沐晴", "语汐", "梓妍", "艺涵", "晓彤", "诗婷",
    ];

    private static readonly string[] BoyFirstChars =
        ["子", "浩", "宇", "梓", "俊", "皓", "博", "思", "一", "天", "明", "睿", "铭", "晨", "嘉", "奕", "泽", "文", "家", "锦", "亦", "沐", "承", "志"];

    private static readonly string[] BoySecondChars =
        ["轩", "宇", "然", "豪", "杰", "航", "墨", "诺", "文", "远", "阳", "睿", "泽", "佑", "辰", "熙", "健", "博", "凯", "霖", "源", "铭", "川", "恒"];

    private static readonly string[] GirlFirstChars =
        ["子", "欣", "诗", "雨", "梓", "可", "语", "思", "佳", "若", "依", "芷", "梦", "一", "紫", "安", "晨", "奕", "雅", "书", "婉", "静", "嘉", "心"];

    private static readonly string[] GirlSecondChars =
        ["涵", "怡", "桐", "馨", "萱", "琪", "妍", "曦", "诺", "欣", "然", "彤", "琳", "瑶", "雯", "悦", "楠", "菲", "宁", "婷", "月", "岚", "洁", "蕾"];

    private static readonly string[] BoySingleNames =
        ["杰", "浩", "宇", "轩", "鑫", "磊", "航", "睿", "博", "凯", "晨", "涛", "昊", "哲", "鹏", "阳"];

    private static readonly string[] GirlSingleNames =
        ["琪", "婷", "欣", "悦", "涵", "瑶", "怡", "娜", "静", "雪", "璐", "妍", "萱", "彤", "菲", "颖"];

    // Given names typical of people born 1950-1995 (grandparents, parents, teachers).
    private static readonly string[] AdultMaleNames =
    [
        "建国", "建华", "国强", "志强", "志明", "建军", "国华", "文明", "永华", "德华", "振华", "海涛",
        "春生", "金水", "福生", "水生", "志坚", "荣华", "文斌", "建平", "建新", "晓东", "卫东", "明华",
        "立新", "海峰", "国平", "秋生", "永福", "清华", "伟", "军", "勇", "强", "明", "华", "磊", "涛",
        "斌", "刚", "平", "辉", "鹏", "杰", "超", "峰", "东", "林", "波", "健",
    ];

    private static readonly string[] AdultFemaleNames =
    [
        "秀英", "丽华", "桂英", "秀兰", "玉兰", "桂兰", "淑珍", "丽娟", "美华", "秀珍", "玉珍", "丽萍",
        "红梅", "海燕", "春梅", "金花", "秀梅", "小红", "丽丽", "美玲", "玉梅", "晓燕", "雪梅", "月娥",
        "碧珍", "秀琴", "美琴", "玉英", "秀娟", "淑芳", "雅琴", "燕", "芳", "敏", "静", "霞", "玲", "丽",
        "英", "萍", "红", "娟", "艳", "琴", "梅", "慧", "颖", "娜",
    ];

    // Transliterated Uyghur names: given name, then the father's given name.
    private static readonly string[] UyghurMaleNames =
    [
        "买买提", "艾力", "吐尔逊", "阿不都拉", "艾合买提", "依明", "卡德尔", "热合曼", "阿迪力", "麦麦提",
        "帕尔哈提", "艾尔肯", "穆罕默德", "亚森", "努尔兰", "伊力哈木", "阿布拉", "玉素甫",
    ];

    private static readonly string[] UyghurFemaleNames =
    [
        "阿依古丽", "古丽娜尔", "热依拉", "迪丽努尔", "阿依努尔", "努尔古丽", "帕提古丽", "米热古丽",
        "祖丽菲娅", "古再丽努尔", "阿依夏木", "热娜", "迪丽拜尔", "阿曼古丽",
    ];

    // Transliterated Tibetan names, written as two parts.
    private static readonly string[] TibetanMaleNames =
        ["扎西", "多吉", "顿珠", "平措", "索朗", "次仁", "达瓦", "尼玛", "格桑", "旺堆", "丹增", "洛桑"];

    private static readonly string[] TibetanFemaleNames =
        ["卓玛", "央金", "拉姆", "德吉", "曲珍", "次仁", "白玛", "格桑", "达娃", "央宗", "措姆", "旺姆"];

    private static readonly string[] MobilePrefixes =
    [
        "138", "139", "135", "136", "137", "134", "150", "151", "152", "157", "158", "159", "178",
        "182", "183", "184", "187", "188", "198", "130", "131", "132", "155", "156", "166", "175",
        "176", "185", "186", "133", "153", "173", "177", "180", "181", "189", "191", "199",
    ];

    private readonly Random _random;
    private readonly WeightedPool _surnames;

    /// <summary>Creates a generator using the Fujian (Luoyuan) surname table.</summary>
    public ChineseNames(int seed)
        : this(seed, SurnameRegion.Fujian)
    {
    }

    /// <summary>Creates a generator using the given surname table.</summary>
    public ChineseNames(int seed, SurnameRegion region)
    {
        _random = new Random(seed);
        _surnames = region switch
        {
            SurnameRegion.National => NationalSurnames,
            SurnameRegion.Fujian => FujianSurnames,
            _ => throw new ArgumentOutOfRangeException(nameof(region)),
        };
    }

    /// <summary>All surnames the generator can produce, in the active table.</summary>
    public IReadOnlyList<string> KnownSurnames => _surnames.Items;

    /// <summary>A surname (one character, or two for compound surnames such as 欧阳), weighted by frequency.</summary>
    public string Surname() => _surnames.Pick(_random);

    /// <summary>A random gender, weighted by the sex ratio at birth of the 2010s (about 115 boys per 100 girls).</summary>
    public Gender RandomGender() => _random.Next(215) < 115 ? Gender.Male : Gender.Female;

    /// <summary>A modern child's given name of one or two characters.</summary>
    public string GivenName(Gender g)
    {
        var male = IsMale(g);
        var roll = _random.Next(100);
        if (roll < 55)
        {
            return Pick(male ? BoyNames : GirlNames);
        }

        if (roll < 90)
        {
            var first = Pick(male ? BoyFirstChars : GirlFirstChars);
            string second;
            do
            {
                second = Pick(male ? BoySecondChars : GirlSecondChars);
            }
            while (second == first);

            return first + second;
        }

        return Pick(male ? BoySingleNames : GirlSingleNames);
    }

    /// <summary>A child's full name: surname followed by given name, 2-4 characters.</summary>
    public string FullName(Gender g)
    {
        var surname = Surname();
        return surname + GivenName(g);
    }

    /// <summary>A transliterated Uyghur- or Tibetan-style name with a random gender, e.g. 阿依古丽·买买提 or 扎西·次仁.</summary>
    public string MinorityName() => MinorityName(RandomGender());

    /// <summary>A transliterated Uyghur- or Tibetan-style name whose parts are joined by U+00B7 MIDDLE DOT.</summary>
    public string MinorityName(Gender g)
    {
        var male = IsMale(g);
        if (_random.Next(10) < 7)
        {
            var given = Pick(male ? UyghurMaleNames : UyghurFemaleNames);
            string father;
            do
            {
                father = Pick(UyghurMaleNames);
            }
            while (father == given);

            return given + MiddleDot + father;
        }

        var first = Pick(male ? TibetanMaleNames : TibetanFemaleNames);
        string second;
        do
        {
            second = _random.Next(2) == 0 ? Pick(TibetanMaleNames) : Pick(TibetanFemaleNames);
        }
        while (second == first);

        return first + MiddleDot + second;
    }

    /// <summary>Whether a name from <see cref="MinorityName(Gender)"/> is Tibetan-style (扎西·次仁) rather than Uyghur-style.</summary>
    public static bool IsTibetanStyle(string name)
    {
        var first = name.Split(MiddleDot)[0];
        return TibetanMaleNames.Contains(first) || TibetanFemaleNames.Contains(first);
    }

    /// <summary>The given-name part of <paramref name="fullName"/>, dropping a known surname (one or two characters).</summary>
    public string GivenPartOf(string fullName) =>
        fullName.Length > 2 && _surnames.Items.Any(s => s.Length == 2 && fullName.StartsWith(s, StringComparison.Ordinal)) ? fullName[2..] : fullName[1..];

    /// <summary>An older-style full name for a teacher or guardian, e.g. 陈建国 or 林秀英.</summary>
    public string AdultName(Gender g)
    {
        var surname = Surname();
        return surname + Pick(IsMale(g) ? AdultMaleNames : AdultFemaleNames);
    }

    /// <summary>An 11-digit mainland mobile number with a real carrier prefix.</summary>
    public string MobilePhone()
    {
        var prefix = Pick(MobilePrefixes);
        return prefix + _random.Next(100_000_000).ToString("D8", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A valid 18-character identity number for the given region and birth date, with a random sequence number
    /// whose last digit has the parity of <paramref name="g"/> (odd = male) and a correct check character.
    /// Only 500 sequence numbers exist per region, date and gender, so callers needing unique IDs must deduplicate.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The region is not six digits with a known province prefix, or the birth date is before <see cref="IdNumber.MinBirthYear"/>.
    /// </exception>
    public string IdNumberFor(string regionCode6, DateOnly birth, Gender g)
    {
        ArgumentNullException.ThrowIfNull(regionCode6);
        if (regionCode6.Length != 6 || !regionCode6.All(char.IsAsciiDigit) || !IdNumber.IsProvinceCode(regionCode6))
        {
            throw new ArgumentException("Expected a six-digit administrative division code.", nameof(regionCode6));
        }

        if (birth.Year < IdNumber.MinBirthYear)
        {
            throw new ArgumentOutOfRangeException(nameof(birth), birth, "Birth year is before the supported range.");
        }

        var male = IsMale(g);
        Span<char> id = stackalloc char[IdNumber.Length];
        regionCode6.CopyTo(id);
        birth.TryFormat(id.Slice(6, 8), out _, "yyyyMMdd", CultureInfo.InvariantCulture);

        int sequence;
        do
        {
            // Three digits; the last one is odd for men and even for women. 000 is never issued.
            sequence = _random.Next(100) * 10 + _random.Next(5) * 2 + (male ? 1 : 0);
        }
        while (sequence == 0);

        sequence.TryFormat(id.Slice(14, 3), out _, "D3", CultureInfo.InvariantCulture);
        id[17] = IdNumber.ComputeCheckChar(id[..17]);
        return new string(id);
    }

    private static bool IsMale(Gender g) => g switch
    {
        Gender.Male => true,
        Gender.Female => false,
        _ => throw new ArgumentOutOfRangeException(nameof(g), g, "Expected Male or Female."),
    };

    private string Pick(string[] pool) => pool[_random.Next(pool.Length)];

    private sealed class WeightedPool
    {
        private readonly string[] _items;
        private readonly int[] _cumulative;
        private readonly int _total;

        public WeightedPool((string Item, int Weight)[] entries)
        {
            _items = entries.Select(e => e.Item).ToArray();
            Items = Array.AsReadOnly(_items);
            _cumulative = new int[entries.Length];
            var total = 0;
            for (var i = 0; i < entries.Length; i++)
            {
                total += entries[i].Weight;
                _cumulative[i] = total;
            }

            _total = total;
        }

        public IReadOnlyList<string> Items { get; }

        public string Pick(Random random)
        {
            var roll = random.Next(_total);
            var index = Array.BinarySearch(_cumulative, roll + 1);
            return _items[index >= 0 ? index : ~index];
        }
    }
}
