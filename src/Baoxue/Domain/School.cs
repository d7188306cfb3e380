namespace Baoxue.Domain;

public enum SchoolKind
{
    Primary = 1,
    JuniorSecondary = 2,
    NineYear = 3,
    CompleteSecondary = 4,
    TeachingPoint = 5,
    SpecialEducation = 6,
}

public sealed class School : IStructural
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>学校标识码: 10 digits issued by the Ministry of Education.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public SchoolKind Kind { get; set; }
    public Guid TownshipId { get; set; }
    public Division? Township { get; set; }
    public Guid? VillageId { get; set; }
    public Division? Village { get; set; }
    public string? Address { get; set; }
    /// <summary>校长 (head of school).</summary>
    public string? HeadName { get; set; }
    public string? Phone { get; set; }
    /// <summary>The central school (中心校) that oversees this one, for village schools and teaching points.</summary>
    public Guid? CentralSchoolId { get; set; }
    public School? CentralSchool { get; set; }
    public bool IsActive { get; set; } = true;
    public required string Path { get; set; }

    public (int First, int Last) Grades => Kind switch
    {
        SchoolKind.Primary => (1, 6),
        SchoolKind.TeachingPoint => (1, 4),
        SchoolKind.JuniorSecondary => (7, 9),
        SchoolKind.CompleteSecondary => (7, 9),
        _ => (1, 9),
    };

    public bool Teaches(int grade) => grade >= Grades.First && grade <= Grades.Last;

    public static bool IsValidCode(string? code) => code is { Length: 10 } && code.All(char.IsAsciiDigit);
}
