namespace Baoxue.Domain;

/// <summary>
/// Sex of a person, using the codes of GB/T 2261.1-2003 (1 = male, 2 = female).
/// The numeric values are stable and may be persisted.
/// </summary>
public enum Gender
{
    Male = 1,
    Female = 2,
}
