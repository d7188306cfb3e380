using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Baoxue.Domain;
using Baoxue.Features.Demo;

// bench/lists.sh drives this:
//   names <out.tsv> <count>                        a pool of realistic names with their pinyin keys (PinyinOrder.Key)
//   id <hashKeyBase64> <3 digits>                   a valid ID and its keyed hash
//   cursor <sort> <path> <nameKey> <id> <grade> <status>   the seek cursor the list would write after that row
//   load <baseUrl> <user> <password> <seconds> <clients> <label> <pathAndQuery>   p50/p99 and req/s at N clients
var inv = CultureInfo.InvariantCulture;
switch (args[0])
{
    case "names":
    {
        var names = new ChineseNames(20261201);
        using var output = new StreamWriter(args[1], false, new UTF8Encoding(false));
        var count = int.Parse(args[2], inv);
        var i = 0;
        while (i < count)
        {
            // Drawn as the demo county draws them (common surnames often): repeats are real, and kept.
            var name = names.FullName(names.RandomGender());
            output.Write(i.ToString(inv));
            output.Write('\t');
            output.Write(name);
            output.Write('\t');
            output.WriteLine(PinyinOrder.Key(name));
            i++;
        }
        break;
    }
    case "id":
    {
        // A valid 18-character ID and its keyed hash under the key the app is given (PersonalData:HashKey).
        var first17 = "35012320140501" + args[2];
        var id = first17 + IdNumber.ComputeCheckCharacter(first17);
        var personal = new Baoxue.Infrastructure.Security.PersonalData(new byte[32], Convert.FromBase64String(args[1]));
        Console.WriteLine(id + "\t" + personal.Hash(id));
        break;
    }
    case "key":
        Console.WriteLine(PinyinOrder.Key(args[1]));
        break;
    case "cursor":
    {
        var text = string.Join('|', args[1], args[2], args[3], Guid.Parse(args[4]).ToString("N"), args[5], args[6]);
        Console.WriteLine(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        break;
    }
    case "load":
    {
        var (baseUrl, user, password, seconds, clients, label, path) = (args[1], args[2], args[3], int.Parse(args[4], inv), int.Parse(args[5], inv), args[6], args[7]);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = new Uri(baseUrl) };
        var token = await (await http.PostAsJsonAsync("/api/v1/auth/token", new { userName = user, password })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Token>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        // Warm-up: the first requests compile queries and fill caches.
        for (var w = 0; w < 5; w++)
        {
            (await http.GetAsync(path)).EnsureSuccessStatusCode();
        }
        var sample = await http.GetStringAsync(path);
        var latencies = new List<double>[clients];
        var failures = 0;
        var cpu = AppCpu.Read();
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = latencies[c] = [];
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var cpuMs = AppCpu.Read() - cpu;
        var all = latencies.SelectMany(l => l).Order().ToList();
        double P(double q) => all[Math.Min(all.Count - 1, (int)Math.Ceiling(q * all.Count) - 1)];
        var total = System.Text.Json.JsonDocument.Parse(sample).RootElement;
        var detail = total.TryGetProperty("total", out var t0) ? $"total={t0.GetInt32()}{(total.GetProperty("totalIsEstimate").GetBoolean() ? "~" : "")} items={total.GetProperty("items").GetArrayLength()}" : "";
        Console.WriteLine(string.Join('\t', label, "app", all.Count, P(0.5).ToString("F1", inv), P(0.99).ToString("F1", inv), (all.Count / elapsed).ToString("F0", inv), failures, detail, AppCpu.PerRequest(cpuMs, all.Count)));
        break;
    }
}

internal sealed record Token(string AccessToken);
