using System.Globalization;
using EGovEdge.Sync.Agent;

namespace EGovEdge.Edge.Cli;

/// <summary>
/// Bootstrap progress. On a terminal: one bar redrawn in place (percentage, rows, time left). Otherwise (stdout
/// redirected, or --json, where it goes to stderr): one plain line per pulled page.
/// </summary>
public sealed class ProgressBar(TextWriter writer, bool interactive)
{
    private const int BarCells = 30;
    private int _pages;
    private int _lastWidth;

    public int Pages => _pages;

    public long Received { get; private set; }

    public void Report(SyncProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _pages++;
        Received = p.Pulled;
        var total = p.Pulled + p.Remaining;
        var percent = (int)Math.Floor(p.Fraction * 100);
        var left = p.EstimatedLeft is { } t ? "~" + TextOut.Clock(t + TimeSpan.FromSeconds(0.5)) : p.Remaining == 0 ? "0:00" : "…";
        var rows = $"{TextOut.Number(p.Pulled)} / {TextOut.Number(total)} 行 rows";
        if (interactive)
        {
            var filled = (int)Math.Round(p.Fraction * BarCells);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', filled)}{new string('.', BarCells - filled)}] {percent,3}%  {rows}  剩余 left {left}");
            var pad = Math.Max(0, _lastWidth - TextOut.Width(line));
            _lastWidth = TextOut.Width(line);
            writer.Write("\r" + line + new string(' ', pad));
            writer.Flush();
            return;
        }
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"page {_pages}: {rows} ({percent}%), 剩余 time left {left}, {TextOut.Duration((long)p.Elapsed.TotalMilliseconds)} elapsed"));
        writer.Flush();
    }

    /// <summary>Ends the bar's line (terminal only).</summary>
    public void Finish()
    {
        if (interactive && _pages > 0) writer.WriteLine();
    }
}
