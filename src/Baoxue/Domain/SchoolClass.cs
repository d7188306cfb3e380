namespace Baoxue.Domain;

/// <summary>A class (班级) of one grade in one school year.</summary>
public sealed class SchoolClass : IStructural
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public School? School { get; set; }
    public Guid SchoolYearId { get; set; }
    public SchoolYear? SchoolYear { get; set; }
    /// <summary>1–9: 一年级 … 六年级, 七年级 (初一) … 九年级 (初三).</summary>
    public int Grade { get; set; }
    /// <summary>班号: the "(2)" in 三年级(2)班.</summary>
    public int Number { get; set; }
    public Guid? HeadTeacherId { get; set; }
    public Staff? HeadTeacher { get; set; }
    public int? Capacity { get; set; }
    public required string Path { get; set; }

    public static string PathSegment(int startYear, int grade, int number) => $"{startYear}{grade:00}{number:00}";
}
