using System.Text.RegularExpressions;

namespace Baoxue.Tests.Security;

/// <summary>
/// The guard for a whole class of bug (6.13): a page whose route admits readers must not carry a form that
/// writes unless the form declares its own policy, where the authorization matrix lists and calls it.
/// </summary>
public sealed partial class FormPolicyGuardTests
{
    // Route policies that admit people who only read.
    private static readonly HashSet<string> ReadPolicies = ["RegistryView", "OrgView", "StaffView", "DepartmentsView", "AuditView"];

    [Fact]
    public void Every_form_on_a_page_that_readers_may_open_declares_its_own_policy()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Baoxue.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var undeclared = new List<string>();
        var pages = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root.FullName, "src", "Baoxue"), "*.razor", SearchOption.AllDirectories))
        {
            var source = File.ReadAllText(file);
            var policy = PagePolicy().Match(source);
            if (!source.Contains("@page", StringComparison.Ordinal) || !policy.Success || !ReadPolicies.Contains(policy.Groups[1].Value))
            {
                continue;
            }
            pages++;
            var declared = FormPolicy().Matches(source).Select(m => m.Groups[1].Value).ToList();
            foreach (var form in FormName().Matches(source).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value + "x" : m.Groups[3].Value))
            {
                var name = form;
                if (!declared.Any(d => d.EndsWith('*') ? name.StartsWith(d[..^1], StringComparison.Ordinal) : d == name))
                {
                    undeclared.Add($"{Path.GetFileName(file)}: form \"{form}\" on a {policy.Groups[1].Value} page");
                }
            }
        }
        Assert.True(pages > 10, $"only {pages} reader pages found");
        Assert.True(undeclared.Count == 0, string.Join("\n", undeclared));
    }

    [GeneratedRegex(@"\[Authorize\(Policy = Permission\.(\w+)\)\]")]
    private static partial Regex PagePolicy();

    [GeneratedRegex(@"\[FormPolicy\(""([^""]+)""")]
    private static partial Regex FormPolicy();

    // FormName="x", @formname="x", and @formname="@($"x{id}")" (read as "x" followed by something).
    [GeneratedRegex(@"FormName=""([^""]+)""|@formname=""@\(\$""([a-z-]+)\{|@formname=""([^""@]+)""")]
    private static partial Regex FormName();
}
