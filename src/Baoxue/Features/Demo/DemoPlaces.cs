using Baoxue.Domain;

namespace Baoxue.Features.Demo;

/// <summary>The raw material of the demo county: place-name parts, subjects, and the member departments' duties as the plans write them.</summary>
internal static class DemoPlaces
{
    private static readonly string[] First = ["洋", "岭", "溪", "坑", "后", "前", "上", "下", "东", "西", "南", "北", "大", "小", "新", "中", "黄", "白", "石", "竹", "松", "梅", "林", "陈", "吴", "郑", "霍", "鉴", "濂", "兰"];
    private static readonly string[] Second = ["里", "头", "坪", "洋", "厝", "岗", "门", "口", "坂", "山", "湾", "屿", "塘", "田", "溪", "墩", "尾", "源", "洲", "亭"];

    public static string VillageName(Random random) => First[random.Next(First.Length)] + Second[random.Next(Second.Length)];

    public static string Street(Random random) => $"{First[random.Next(First.Length)]}{Second[random.Next(Second.Length)]}路{random.Next(1, 200)}号";

    public static readonly string[] Subjects = ["语文", "数学", "英语", "科学", "道德与法治", "音乐", "体育", "美术", "信息技术", "物理", "化学", "历史", "地理", "生物"];

    public static readonly (string Name, DepartmentKind Kind, string Duties)[] Departments =
    [
        ("罗源县教育局", DepartmentKind.Education, "牵头负责控辍保学工作，建立适龄儿童少年、疑似辍学、辍学学生台账，组织劝返复学和安置，督促学校落实控辍保学责任。"),
        ("罗源县公安局", DepartmentKind.PublicSecurity, "提供辖区适龄儿童少年户籍信息，配合开展人籍比对，协助查找失学辍学儿童少年去向。"),
        ("罗源县民政局", DepartmentKind.CivilAffairs, "做好困境儿童、留守儿童关爱保护，将符合条件的家庭纳入低保等救助范围，防止因贫失学辍学。"),
        ("罗源县财政局", DepartmentKind.Finance, "落实义务教育经费和学生资助资金，保障送教上门等控辍保学工作经费。"),
        ("罗源县人力资源和社会保障局", DepartmentKind.HumanResources, "加强劳动用工监管，依法查处非法招用未满十六周岁未成年人的行为。"),
        ("罗源县司法局", DepartmentKind.Justice, "开展义务教育法律法规宣传，为依法控辍提供法律服务，指导出具相关司法文书。"),
        ("罗源县残疾人联合会", DepartmentKind.DisabledPersonsFederation, "提供残疾儿童少年数据，配合开展残疾儿童入学评估和送教上门工作。"),
        ("罗源县妇女联合会", DepartmentKind.WomensFederation, "开展家庭教育指导，督促家长依法履行送子女入学的义务。"),
        ("共青团罗源县委员会", DepartmentKind.YouthLeague, "组织志愿者开展关爱帮扶，协助做好辍学学生劝返工作。"),
        ("罗源县卫生健康局", DepartmentKind.Health, "提供出生人口信息，配合做好残疾儿童医学鉴定。"),
        ("罗源县市场监督管理局", DepartmentKind.MarketRegulation, "配合查处违法招用童工的市场主体。"),
        ("罗源县文化体育和旅游局", DepartmentKind.CultureAndTourism, "加强网吧、娱乐场所管理，严禁接纳未成年人。"),
        ("中共罗源县委政法委员会", DepartmentKind.PoliticalAndLegalAffairs, "统筹协调依法控辍工作，推动司法机关依法处理拒不送适龄子女入学的监护人。"),
        ("罗源县乡村振兴局", DepartmentKind.RuralRevitalisation, "提供建档立卡等脱贫家庭学生信息，开展数据比对，确保脱贫家庭子女不因贫失学辍学。"),
    ];
}
