using System.Globalization;

/// <summary>
/// The app server's own CPU time (user + system, from /proc/&lt;pid&gt;/stat) when BAOXUE_APP_PID names it: divided by the
/// requests of a run it is the CPU cost of one request, a figure that holds while other work loads the machine (a
/// latency does not). Empty when no pid is given.
/// </summary>
internal static class AppCpu
{
    // The kernel counts in USER_HZ ticks, 100 a second on Linux.
    private const double MsPerTick = 10;

    public static double Read()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("BAOXUE_APP_PID"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return double.NaN;
        }
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return double.NaN; // not Linux, or the process is gone: no figure rather than a failed run
        }
        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is 14th, stime 15th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * MsPerTick;
    }

    public static string PerRequest(double cpuMs, int requests) =>
        double.IsNaN(cpuMs) || requests == 0 ? "" : (cpuMs / requests).ToString("F2", CultureInfo.InvariantCulture);
}
