namespace Baoxue.Domain;

/// <summary>
/// A record that belongs to a place in the hierarchy. <see cref="Path"/> is the chain of codes from the
/// county down ("350123/350123100/2135012345/"), so a jurisdiction is a prefix and scoping is one LIKE.
/// Users see records under their own path only.
/// </summary>
public interface IScoped
{
    string Path { get; }
}

/// <summary>
/// Structural records (places, schools, classes, departments): visible under the user's path and also
/// on the way up to it, so a head teacher can see the school and township their class belongs to.
/// </summary>
public interface IStructural : IScoped;

public static class PlacePath
{
    /// <summary>A scope no path starts with (paths start with a digit): the jurisdiction of nobody, such as an anonymous caller.</summary>
    public const string Nothing = "∅";

    public static string Child(string parentPath, string segment) => parentPath + segment + "/";

    /// <summary>Every proper ancestor path of <paramref name="path"/>, shortest first.</summary>
    public static IReadOnlyList<string> Ancestors(string path)
    {
        var result = new List<string>();
        for (var i = path.IndexOf('/'); i >= 0 && i < path.Length - 1; i = path.IndexOf('/', i + 1))
        {
            result.Add(path[..(i + 1)]);
        }
        return result;
    }

    /// <summary>The county's path a path lies in (its first three codes: province, city, county), or null above county level.</summary>
    public static string? County(string path)
    {
        var end = -1;
        for (var i = 0; i < 3; i++)
        {
            end = path.IndexOf('/', end + 1);
            if (end < 0)
            {
                return null;
            }
        }
        return path[..(end + 1)];
    }

    public static bool IsWithin(string path, string scope) => path.StartsWith(scope, StringComparison.Ordinal);
}
