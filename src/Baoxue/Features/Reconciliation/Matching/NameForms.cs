using System.Collections.Frozen;

namespace Baoxue.Features.Reconciliation.Matching;

/// <summary>
/// The forms of a name that household and registry clerks write differently for the same child: traditional for
/// simplified characters (陳/陈, 張/张) and homophones typed by their pinyin (梓/子, 涵/晗, 欣/馨). <see cref="Canonical"/>
/// folds each character to one representative, so that names differing only by such variants compare equal.
/// </summary>
/// <remarks>
/// The tables cover the characters common in given names and the frequent surnames (the demo's and the national
/// lists), grouped by toneless pinyin: clerks confuse tones as easily as characters. A character outside them stands
/// for itself. The fold is used only for matching and is shown as such (同音/繁简) — never stored as the name.
/// </remarks>
public static class NameForms
{
    // Traditional → simplified, for characters of names.
    private const string Traditional = "張陳劉楊黃趙吳孫馬鄭馮韓鄧許蕭羅葉蘇盧鍾譚陸龍賀顧偉華國軍麗紅傑濤鳳雲蘭靜寧夢歡樂曉軒輝鵬飛寶東嵐艷凱強慶剛穎陽進義禮愛書學發達榮權為萬門閔鄒蔣韋湯嚴錢賈聶齊紀潔維綺詩語銘錦鑫輝瑩燁麥歐陽馮譚澤濤閣鐵銀鳴嬌貞順順雙龐戰勝興輝誠賢瑤琺雞鵬蓮";
    private const string Simplified = "张陈刘杨黄赵吴孙马郑冯韩邓许萧罗叶苏卢钟谭陆龙贺顾伟华国军丽红杰涛凤云兰静宁梦欢乐晓轩辉鹏飞宝东岚艳凯强庆刚颖阳进义礼爱书学发达荣权为万门闵邹蒋韦汤严钱贾聂齐纪洁维绮诗语铭锦鑫辉莹烨麦欧阳冯谭泽涛阁铁银鸣娇贞顺顺双庞战胜兴辉诚贤瑶珐鸡鹏莲";

    // Homophone groups (toneless pinyin); the first character represents the group.
    private static readonly string[] Homophones =
    [
        "张章彰樟漳", "王汪", "李黎理丽立力莉俐礼励利历", "林琳霖淋临麟", "陈晨辰琛臣沉", "刘流留柳浏", "杨阳扬洋", "黄皇煌凰璜",
        "吴武五伍午舞", "周舟州洲", "徐许旭栩煦序绪", "朱珠竹诸", "胡湖虎", "郭国果", "何和贺禾合荷", "罗洛骆", "高皋", "郑正政证征峥铮",
        "梁良亮凉", "谢协", "宋颂送", "唐堂棠", "韩涵寒含晗函翰汉", "冯峰锋丰枫风凤", "邓登灯", "曹草", "彭鹏朋蓬", "曾增", "肖萧晓小筱潇笑孝",
        "田甜恬", "董东冬栋", "潘盼", "袁元原圆源媛园远苑缘", "蔡彩才", "蒋江姜疆将", "余于鱼雨宇语羽禹玉钰煜昱育域誉俞瑜榆渝愉", "杜度渡",
        "叶业烨晔", "程成城诚承澄呈丞", "魏卫伟玮炜薇维唯微威", "苏素", "吕旅", "丁定鼎", "任仁人", "卢路鹭露璐陆鲁", "姚瑶遥尧", "沈深申",
        "钟中忠仲众", "崔翠", "谭坦", "范凡帆繁", "廖辽", "石时诗师施史世仕", "金锦晋津今进", "贾嘉佳家加", "夏霞", "付傅富福甫芙",
        "方芳", "邹", "熊雄", "白柏百", "孟梦蒙", "秦琴勤芹沁", "邱秋丘", "侯厚", "尹音因殷茵", "薛雪学", "闫严颜言岩妍研艳燕彦雁",
        "段", "雷蕾磊", "龙隆", "毛茂", "顾古谷", "龚宫公功", "邵绍少", "万", "覃", "钱倩", "戴代黛岱", "莫墨默", "孔",
        "向祥翔响湘香相", "常昌畅", "汤", "康", "易毅亦奕逸艺怡宜仪依一伊怡熠翼益义", "乔桥", "赖", "文雯闻", "洪鸿宏红弘虹", "辛欣馨心新鑫昕星兴",
        "柯可珂", "庄壮", "蓝兰岚澜", "子梓紫姿", "涵", "轩萱宣璇暄", "浩昊皓豪好灏", "博波勃", "嘉", "俊骏君军钧峻", "杰洁婕捷", "婷庭亭廷霆",
        "静晶菁婧靖敬景京", "玲灵凌铃伶龄", "思斯丝", "琪琦奇淇棋祺其齐麒", "怡", "雨", "欣", "诺娜", "佳", "晨", "一", "明铭鸣名茗",
        "华桦", "伟", "宇", "泽则", "豪", "然冉", "睿瑞锐蕊", "安", "彤桐童同瞳", "妍", "悦月越跃岳玥钥", "若", "萌", "可", "云芸昀匀允韵运",
        "凯楷恺", "航杭", "健建剑", "磊", "强", "刚钢", "军", "勇永泳咏", "超", "辉晖慧惠会蕙卉", "飞菲非霏妃", "鑫", "帅", "宁凝", "涛韬桃陶",
        "娟", "敏闽珉", "丹", "颖影莹盈英瑛樱营", "露", "倩", "婉", "雪", "芳", "梅美媚玫", "兰", "秀", "红", "燕", "霞", "丽", "琳",
        "俊", "梓", "子", "晗", "博", "铭", "轩", "涵", "馨",
    ];

    private static readonly FrozenDictionary<char, char> Fold = BuildFold();

    private static FrozenDictionary<char, char> BuildFold()
    {
        var map = new Dictionary<char, char>();
        for (var i = 0; i < Traditional.Length && i < Simplified.Length; i++)
        {
            map.TryAdd(Traditional[i], Simplified[i]);
        }
        var group = new Dictionary<char, char>();
        foreach (var line in Homophones)
        {
            // A character listed in two groups keeps its first: the groups are read in order of surname frequency.
            var head = group.TryGetValue(line[0], out var earlier) ? earlier : line[0];
            foreach (var c in line)
            {
                group.TryAdd(c, head);
            }
        }
        var fold = new Dictionary<char, char>();
        foreach (var (c, head) in group)
        {
            fold[c] = head;
        }
        foreach (var (traditional, simplified) in map)
        {
            fold[traditional] = group.TryGetValue(simplified, out var head) ? head : simplified;
        }
        return fold.ToFrozenDictionary();
    }

    /// <summary>The name with spaces and dots dropped, traditional characters simplified and homophones folded.</summary>
    public static string Canonical(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 64)];
        var n = 0;
        foreach (var c in name)
        {
            if (n == buffer.Length)
            {
                break;
            }
            if (c is ' ' or '\u3000' or '·' or '•' or '.')
            {
                continue;
            }
            buffer[n++] = Fold.TryGetValue(c, out var f) ? f : c;
        }
        return new string(buffer[..n]);
    }

    /// <summary>The name with only traditional characters simplified: tells a 繁/简 variant from a homophone.</summary>
    public static string Simplify(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var at = Traditional.IndexOf(chars[i], StringComparison.Ordinal);
            if (at >= 0 && at < Simplified.Length)
            {
                chars[i] = Simplified[at];
            }
        }
        return new string(chars);
    }

    /// <summary>A traditional form of the name where the table has one (benchmark noise, tests).</summary>
    public static string Traditionalise(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var at = Simplified.IndexOf(chars[i], StringComparison.Ordinal);
            if (at >= 0)
            {
                chars[i] = Traditional[at];
            }
        }
        return new string(chars);
    }

    /// <summary>Another character read the same, if the table knows one (benchmark noise, tests).</summary>
    public static char? Homophone(char c, int pick)
    {
        foreach (var line in Homophones)
        {
            var at = line.IndexOf(c, StringComparison.Ordinal);
            if (at >= 0 && line.Length > 1)
            {
                var other = line[(at + 1 + (pick % (line.Length - 1))) % line.Length];
                return other == c ? null : other;
            }
        }
        return null;
    }
}
