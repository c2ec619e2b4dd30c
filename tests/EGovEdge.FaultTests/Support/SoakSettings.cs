using System.Globalization;
using System.Security.Cryptography;

namespace EGovEdge.FaultTests.Support;

/// <summary>
/// How long and how hard the soak runs. Default: about 40 s of chaos with 3 kill -9s (a minute or two in all).
/// EGOV_SOAK_MINUTES=N: N minutes of chaos, a kill about every 30 s. EGOV_SOAK_SEED=S replays the choices of run S
/// (writes, cuts, lost answers, kill targets and times); the timing of real processes still varies.
/// </summary>
internal sealed record SoakSettings(int Seed, bool SeedFromEnvironment, TimeSpan Chaos, int Kills, bool Long)
{
    public const string SeedVariable = "EGOV_SOAK_SEED";
    public const string MinutesVariable = "EGOV_SOAK_MINUTES";

    public static readonly TimeSpan ShortChaos = TimeSpan.FromSeconds(40);

    public static SoakSettings FromEnvironment()
    {
        var seedText = Environment.GetEnvironmentVariable(SeedVariable);
        int seed;
        var fromEnv = false;
        if (!string.IsNullOrWhiteSpace(seedText))
        {
            if (!int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
            {
                throw new InvalidOperationException($"{SeedVariable}='{seedText}' is not an integer.");
            }
            fromEnv = true;
        }
        else
        {
            seed = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        }

        var minutesText = Environment.GetEnvironmentVariable(MinutesVariable);
        if (string.IsNullOrWhiteSpace(minutesText)) return new SoakSettings(seed, fromEnv, ShortChaos, 3, Long: false);
        if (!double.TryParse(minutesText, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) || minutes <= 0 || minutes > 24 * 60)
        {
            throw new InvalidOperationException($"{MinutesVariable}='{minutesText}' is not a number of minutes (0 < N <= 1440).");
        }
        return new SoakSettings(seed, fromEnv, TimeSpan.FromMinutes(minutes), Math.Max(3, (int)Math.Round(minutes * 2)), Long: true);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"soak seed {Seed} ({(SeedFromEnvironment ? "from " + SeedVariable : "random")}; replay with {SeedVariable}={Seed}), " +
        $"{Chaos.TotalSeconds:0} s of chaos, {Kills} kill -9s{(Long ? $" ({MinutesVariable})" : $" (short soak; longer: {MinutesVariable}=10)")}");
}
