namespace Baoxue.Domain;

public enum DepartmentKind
{
    Education = 1,
    PublicSecurity = 2,
    CivilAffairs = 3,
    Finance = 4,
    HumanResources = 5,
    Justice = 6,
    DisabledPersonsFederation = 7,
    WomensFederation = 8,
    YouthLeague = 9,
    Health = 10,
    MarketRegulation = 11,
    CultureAndTourism = 12,
    PoliticalAndLegalAffairs = 13,
    RuralRevitalisation = 14,
    Other = 99,
}

/// <summary>A member department (成员单位) of the county's leading group, with its written duties.</summary>
public sealed class Department : IStructural
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string Name { get; set; }
    public DepartmentKind Kind { get; set; }
    public string? Duties { get; set; }
    public Guid CountyId { get; set; }
    public Division? County { get; set; }
    public required string Path { get; set; }
}
