using Baoxue.Domain;

namespace Baoxue.Tests.Domain;

/// <summary>The one pinyin sort key: names in the order a Chinese list uses, polyphonic surnames read as surnames.</summary>
public sealed class PinyinOrderTests
{
    private static List<string> Sorted(params string[] names) =>
        [.. names.OrderBy(PinyinOrder.Key, StringComparer.Ordinal).ThenBy(n => n, StringComparer.Ordinal)];

    [Fact]
    public void Names_sort_by_pinyin_not_by_code_point()
    {
        // By code point this is 上官, 刘, 卢, 叶 (the order issue 7 found on the student list).
        Assert.Equal(["安然", "刘洋", "卢杰", "上官婉儿", "叶青", "张伟"], Sorted("上官婉儿", "刘洋", "卢杰", "叶青", "张伟", "安然"));
    }

    [Theory]
    [InlineData("杨洋", "曾国强", "张伟")]        // zēng, between yáng and zhāng (céng would come first)
    [InlineData("丁一", "单田芳", "邵华")]        // shàn, before shào (dān would come first)
    [InlineData("夏雨", "解晓东", "杨洋")]        // xiè, after xià (jiě would come first)
    [InlineData("秦岚", "仇英", "任强")]          // qiú, after qín (chóu would come first)
    [InlineData("欧阳娜", "区志明", "潘丽")]      // ōu, before pān (qū would come last)
    [InlineData("杨洋", "查文", "张伟")]          // zhā, before zhāng (chá would come first)
    [InlineData("彭飞", "朴志勇", "蒲松龄")]      // piáo, before pú (pǔ would come last)
    public void Polyphonic_surnames_are_read_as_surnames(string first, string second, string third)
    {
        // Read as their everyday readings (céng, dān, jiě, chóu, qū, chá, pǔ) they would land elsewhere.
        Assert.Equal([first, second, third], Sorted(third, first, second));
    }

    [Fact]
    public void Compound_surnames_are_read_as_surnames()
    {
        Assert.Equal(["万俟卨", "莫言", "万婷"], Sorted("万婷", "莫言", "万俟卨"));      // mòqí, not wàn
        Assert.Equal(["余华", "尉迟恭", "袁枚"], Sorted("袁枚", "尉迟恭", "余华"));      // yùchí, not wèi
        Assert.Equal(["张三", "长孙无忌", "赵四"], Sorted("赵四", "长孙无忌", "张三"));   // zhǎngsūn, not cháng
    }

    [Fact]
    public void A_surname_key_is_the_start_of_every_full_name_key_so_a_prefix_search_is_a_key_range()
    {
        foreach (var (surname, name) in new[] { ("王", "王小明"), ("欧阳", "欧阳静怡"), ("曾", "曾国强"), ("阿依", "阿依古丽·买买提"), ("李", "李") })
        {
            Assert.StartsWith(PinyinOrder.Key(surname), PinyinOrder.Key(name), StringComparison.Ordinal);
        }
        Assert.False(PinyinOrder.Key("王小明").StartsWith(PinyinOrder.Key("汪"), StringComparison.Ordinal));
    }

    [Fact]
    public void The_key_is_pure_and_hexadecimal()
    {
        Assert.Equal(PinyinOrder.Key("欧阳静怡"), PinyinOrder.Key(" 欧阳静怡 "));
        Assert.Matches("^[0-9a-f]+$", PinyinOrder.Key("阿依古丽·买买提"));
        Assert.Equal("", PinyinOrder.Key(""));
        Assert.True(PinyinOrder.Key(new string('龘', 64)).Length <= PinyinOrder.MaxKeyLength);
    }

    [Fact]
    public void The_roster_comparer_orders_as_the_key_does()
    {
        string[] names = ["曾国强", "张伟", "单田芳", "安然", "上官婉儿"];
        Assert.Equal(Sorted(names), names.Order(PinyinOrder.Comparer).ToList());
    }
}
