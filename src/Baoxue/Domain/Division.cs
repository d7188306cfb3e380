namespace Baoxue.Domain;

public enum DivisionLevel
{
    Province = 1,
    City = 2,
    County = 3,
    Township = 4,
    Village = 5,
}

/// <summary>行政区划: GB/T 2260 codes for county and above, 9- and 12-digit statistical codes below.</summary>
public sealed class Division : IStructural
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string Name { get; set; }
    public DivisionLevel Level { get; set; }
    public Guid? ParentId { get; set; }
    public Division? Parent { get; set; }
    public required string Path { get; set; }
    /// <summary>Townships: Town (镇), Township (乡) or Subdistrict (街道); villages: Village (村) or Community (社区).</summary>
    public string? Kind { get; set; }

    public static DivisionLevel LevelOfCode(string code) => code.Length switch
    {
        2 => DivisionLevel.Province,
        4 => DivisionLevel.City,
        6 => DivisionLevel.County,
        9 => DivisionLevel.Township,
        12 => DivisionLevel.Village,
        _ => throw new ArgumentException("Division codes have 2, 4, 6, 9 or 12 digits.", nameof(code)),
    };
}
