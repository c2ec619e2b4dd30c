using System.Globalization;

namespace EGovEdge.Edge.Cli;

/// <summary>A usage error: unknown verb or option, missing or bad setting. Exit code 2, message on stderr.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The parsed command line of <c>sync &lt;verb&gt;</c>. Hand-written (six verbs and four options do not need a
/// framework): <c>--EGov:Key=value</c> or <c>--EGov:Key value</c> (any EGov key, as the web host takes them),
/// <c>--json</c>, <c>--verbose</c>, <c>--limit N</c>, <c>-h|--help</c>.
/// </summary>
public sealed class CliArguments
{
    public static readonly IReadOnlyList<string> Verbs = ["status", "run", "history", "conflicts", "verify", "bootstrap"];

    public string? Verb { get; private set; }

    public bool Json { get; private set; }

    public bool Verbose { get; private set; }

    public bool Help { get; private set; }

    public int? Limit { get; private set; }

    /// <summary>EGov:* settings given on the command line, keys without the leading dashes (e.g. "EGov:DataDir").</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var a = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?" or "help")
            {
                a.Help = true;
                continue;
            }
            if (arg == "--json")
            {
                a.Json = true;
                continue;
            }
            if (arg is "--verbose" or "-v")
            {
                a.Verbose = true;
                continue;
            }
            if (arg == "--limit" || arg.StartsWith("--limit=", StringComparison.Ordinal))
            {
                var value = arg.Length > "--limit".Length ? arg["--limit=".Length..] : i + 1 < args.Count ? args[++i] : null;
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 1_000_000)
                {
                    throw new UsageException($"--limit needs a whole number from 1 to 1000000 (got '{value}').");
                }
                a.Limit = n;
                continue;
            }
            if (arg.StartsWith("--EGov:", StringComparison.OrdinalIgnoreCase) || arg.StartsWith("--EGov__", StringComparison.OrdinalIgnoreCase))
            {
                var body = arg[2..].Replace("__", ":", StringComparison.Ordinal);
                var eq = body.IndexOf('=', StringComparison.Ordinal);
                string key, value;
                if (eq >= 0)
                {
                    key = body[..eq];
                    value = body[(eq + 1)..];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    key = body;
                    value = args[++i];
                }
                else
                {
                    throw new UsageException($"{arg} needs a value: {arg}=VALUE.");
                }
                if (key.Length <= "EGov:".Length) throw new UsageException($"'{arg}' names no setting.");
                a.Settings[key] = value;
                continue;
            }
            if (arg.StartsWith('-'))
            {
                throw new UsageException($"unknown option '{arg}'. Options are --EGov:<Key>=<value>, --json, --limit N, --verbose, --help.");
            }
            if (a.Verb is not null) throw new UsageException($"unexpected argument '{arg}' (the verb is already '{a.Verb}').");
            if (!Verbs.Contains(arg, StringComparer.Ordinal))
            {
                throw new UsageException($"unknown verb '{arg}'. Verbs: {string.Join(", ", Verbs)}.");
            }
            a.Verb = arg;
        }
        if (a.Limit is not null && a.Verb is not ("history" or "verify" or null))
        {
            throw new UsageException($"--limit applies to history and verify, not to {a.Verb}.");
        }
        return a;
    }

    public string? Setting(string key) => Settings.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}
