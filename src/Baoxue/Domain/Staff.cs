namespace Baoxue.Domain;

/// <summary>A named person who can be made responsible: teachers, school leaders, bureau cadres, township and village cadres, department staff.</summary>
public sealed class Staff : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    /// <summary>职务: free text as written in the unit's own documents (校长, 班主任, 副镇长 …).</summary>
    public required string Post { get; set; }
    public string? Phone { get; set; }
    public Guid? SchoolId { get; set; }
    public School? School { get; set; }
    public Guid? DepartmentId { get; set; }
    public Department? Department { get; set; }
    public Guid? DivisionId { get; set; }
    public Division? Division { get; set; }
    public bool IsActive { get; set; } = true;
    public required string Path { get; set; }
    /// <summary>
    /// Granted by the school: a subject teacher who may see the whole school's students, not only those of
    /// the classes they teach (<see cref="TeachingAssignment"/>).
    /// </summary>
    public bool SeesWholeSchool { get; set; }
}

/// <summary>A class a teacher teaches (任教班级): what a subject teacher's account may see of the school's students.</summary>
public sealed class TeachingAssignment : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid StaffId { get; set; }
    public Staff? Staff { get; set; }
    public Guid ClassId { get; set; }
    public SchoolClass? Class { get; set; }
    /// <summary>The class's path.</summary>
    public required string Path { get; set; }
}
