using EGovEdge.Office.Supervision;
using EGovEdge.Office.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static EGovEdge.Office.Tests.Supervision.SupervisionWorld;

namespace EGovEdge.Office.Tests.Supervision;

/// <summary>The report over seeded hub and township stores (real SQLite, synced in-process), against figures worked out by hand.</summary>
public sealed class SupervisionStatsTests : IDisposable
{
    private readonly SupervisionWorld _w = new();

    public SupervisionStatsTests() => _w.Seed();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void Hub_November_EveryFigureMatchesTheHandComputedOnes()
    {
        var r = _w.Stats(_w.World.Hub).Compute(November);

        Assert.Equal(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero), r.FromUtc);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 16, 0, 0, TimeSpan.Zero), r.ToUtc);
        Assert.Equal([Hub, Gs, Ml], r.Units.Select(u => u.Unit));
        Assert.Equal(["广顺镇", "马路乡"], r.Units.Skip(1).Select(u => u.Name));

        var hub = r.Units[0];
        // issued: d1, d2, d3 (11月1日 01:00 China time); d5 went out at 10月31日 23:59:59 → October
        Assert.Equal(3, hub.Issued);
        Assert.Equal(1, hub.Circulated);                 // signed for g1
        Assert.Equal(0, hub.Readings);
        Assert.Equal(3, hub.SignedOff);                  // 10 h, 30 h, 4 h (d3 was signed off in October)
        Assert.Equal(10.0, hub.SignOffMedianHours);
        Assert.Equal(14.7, hub.SignOffAverageHours);     // 44 / 3 = 14.67
        Assert.Equal(1, hub.OverdueDocuments);           // g1: deadline 11-15, no reply by 11-27
        Assert.Equal(1, hub.Notices);
        Assert.Equal(1, hub.Reminders);                  // the October one and the not-yet-due warning do not count
        Assert.Equal(2, hub.Warnings);
        Assert.Equal(1, hub.DocumentReminders);
        Assert.Equal(2, hub.SmsSent);                    // sent + delivered (queued and October not)
        Assert.Equal(1, hub.SmsFailed);
        Assert.Equal(3, hub.Actions);
        Assert.Equal(1, hub.ActiveUsers);
        Assert.Equal(1, hub.Accounts);
        Assert.Equal(4, hub.PaperlessDocuments);
        Assert.Equal(30.54m, hub.Sheets);                // d1 PDF 3 pages + d2, d3, g1 at 9.18
        Assert.Equal(2.88m, hub.PaperYuan);              // 30.54 × 0.0942 = 2.8769
        Assert.Equal(4.79m, hub.ConsumablesYuan);        // 30.54 × 0.157 = 4.7948
        Assert.Equal(5.37m, hub.TransportYuan);          // 4 × 1.342 = 5.368
        Assert.Equal(2.24m, hub.OtherYuan);              // 4 × 0.5606 = 2.2424
        Assert.Equal(15.28m, hub.SavedYuan);
        Assert.Equal(2, hub.Conflicts);
        Assert.Equal(1, hub.OpenConflicts);
        Assert.Equal(0, hub.Inspections);
        Assert.Null(hub.OverdueTickets);

        var gs = r.Units[1];
        Assert.Equal(1, gs.Issued);
        Assert.Equal(2, gs.Circulated);                  // d1, d2
        Assert.Equal(1, gs.Readings);
        Assert.Equal(2, gs.SignedOff);                   // 5 h, 36 h
        Assert.Equal(20.5, gs.SignOffMedianHours);
        Assert.Equal(20.5, gs.SignOffAverageHours);
        Assert.Equal(1, gs.OverdueDocuments);            // d1 (deadline 11-20); d2 was answered on 11-24
        Assert.Equal(1, gs.Reminders);
        Assert.Equal(0, gs.Warnings);
        Assert.Equal(1, gs.SmsSent);
        Assert.Equal(5, gs.Actions);
        Assert.Equal(2, gs.ActiveUsers);
        Assert.Equal(2, gs.Accounts);
        Assert.Equal(3, gs.PaperlessDocuments);
        Assert.Equal(21.36m, gs.Sheets);                 // g1 9.18 + d1 3 + d2 9.18
        Assert.Equal(2.01m, gs.PaperYuan);
        Assert.Equal(3.35m, gs.ConsumablesYuan);
        Assert.Equal(4.03m, gs.TransportYuan);
        Assert.Equal(1.68m, gs.OtherYuan);
        Assert.Equal(11.07m, gs.SavedYuan);
        Assert.Equal(1, gs.Conflicts);
        Assert.Equal(0, gs.OpenConflicts);
        Assert.Equal(1, gs.Inspections);

        var ml = r.Units[2];
        Assert.Equal(0, ml.Issued);
        Assert.Equal(2, ml.Circulated);                  // d1, d3 (d5 was signed for in October)
        Assert.Equal(0, ml.SignedOff);
        Assert.Null(ml.SignOffMedianHours);
        Assert.Equal(0, ml.OverdueDocuments);            // d1 due today, d3 extended to 11-30
        Assert.Equal(2, ml.Actions);
        Assert.Equal(1, ml.ActiveUsers);
        Assert.Equal(1, ml.Accounts);                    // zhao is disabled
        Assert.Equal(12.18m, ml.Sheets);
        Assert.Equal(6.86m, ml.SavedYuan);               // 1.15 + 1.91 + 2.68 + 1.12
        Assert.Equal(1, ml.Conflicts);
        Assert.Equal(1, ml.OpenConflicts);
        Assert.Equal(0, ml.Inspections);

        var t = r.Total;
        Assert.Equal(4, t.Issued);
        Assert.Equal(5, t.Circulated);
        Assert.Equal(5, t.SignedOff);
        Assert.Equal(10.0, t.SignOffMedianHours);        // 4, 5, 10, 30, 36
        Assert.Equal(17.0, t.SignOffAverageHours);       // 85 / 5
        Assert.Equal(2, t.OverdueDocuments);
        Assert.Equal(2, t.Reminders);
        Assert.Equal(2, t.Warnings);
        Assert.Equal(3, t.SmsSent);
        Assert.Equal(10, t.Actions);
        Assert.Equal(4, t.ActiveUsers);
        Assert.Equal(4, t.Accounts);
        Assert.Equal(9, t.PaperlessDocuments);
        Assert.Equal(64.08m, t.Sheets);
        Assert.Equal(6.04m, t.PaperYuan);
        Assert.Equal(10.05m, t.ConsumablesYuan);
        Assert.Equal(12.08m, t.TransportYuan);
        Assert.Equal(5.04m, t.OtherYuan);
        Assert.Equal(33.21m, t.SavedYuan);
        Assert.Equal(2, t.Conflicts);                    // p1 and p2 once each; p3 is October
        Assert.Equal(1, t.OpenConflicts);
        Assert.Equal(1, t.Inspections);

        Assert.Equal([new MonthFigures("2026-11", 4, 5, 2, 2)], r.Months);
        Assert.Equal([("zhang", 4), ("chen", 3), ("wang", 2), ("li", 1)], r.Users.Select(u => (u.Username, u.Actions)));
        Assert.Equal("张三", r.Users[0].DisplayName);

        Assert.True(r.SyncAvailable);
        Assert.Equal([Gs, Ml], r.Sync.Select(s => s.Node));
        Assert.All(r.Sync, s => Assert.NotNull(s.LastSyncUtc));
        Assert.All(r.Sync, s => Assert.Equal(0, s.Rejected));
        Assert.False(r.TicketsAvailable);
    }

    [Fact]
    public void Township_SeesOnlyWhatItHolds_AndNoSyncHealth()
    {
        var r = _w.Stats(_w.World.Edge(Gs)).Compute(November);

        var gs = r.Units.Single(u => u.Unit == Gs);
        Assert.Equal(1, gs.Issued);
        Assert.Equal(2, gs.Circulated);
        Assert.Equal(5, gs.Actions);
        Assert.Equal(0, r.Units.Single(u => u.Unit == Hub).Actions); // the hub's audit chain stays at the hub
        Assert.False(r.SyncAvailable);
        Assert.Empty(r.Sync);
    }

    [Fact]
    public void TicketFigures_AppearWhenTheTicketModuleProvidesThem()
    {
        var tickets = new FixedTickets(new Dictionary<string, TicketFigures> { [Gs] = new(2, 5, 4.5), [Ml] = new(1, 3, 3.5) });

        var r = _w.Stats(_w.World.Hub, tickets).Compute(November);

        Assert.True(r.TicketsAvailable);
        Assert.Equal(2, r.Units.Single(u => u.Unit == Gs).OverdueTickets);
        Assert.Equal(0, r.Units.Single(u => u.Unit == Hub).OverdueTickets);
        Assert.Equal(3, r.Total.OverdueTickets);
        Assert.Equal(8, r.Total.TicketsClosedOnTime);
        Assert.Equal(4.0, r.Total.TicketSatisfaction);
    }

    [Fact]
    public void Csv_HasBom_ChineseHeaders_OneLinePerUnit_TheTotal_AndTheMethod()
    {
        var r = _w.Stats(_w.World.Hub).Compute(November);
        var text = new StringLocalizer<SupervisionText>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
        var prev = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        try
        {
            var bytes = SupervisionCsv.Write(r, text);

            Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
            var lines = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n");
            Assert.StartsWith("单位,代码,发文（核发）,收文流转（签收）", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("广顺镇,guangshun,1,2,1,2,20.5,20.5,1,", lines[2], StringComparison.Ordinal);
            Assert.StartsWith("合计,,4,5,", lines[4], StringComparison.Ordinal);
            Assert.Contains(",33.21,", lines[4], StringComparison.Ordinal);
            Assert.Contains("统计期间,2026-11-01 ~ 2026-11-30", lines, StringComparer.Ordinal);
            Assert.Contains(lines, l => l.StartsWith("纸张（元/张）,0.0942", StringComparison.Ordinal));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = prev;
        }
    }

    [Fact]
    public void DefaultUnitPrices_ReproduceTheArticlesYearlyFigures()
    {
        var o = new SupervisionOptions();
        const decimal documents = 82_200 + 60_500;
        var sheets = documents * o.SheetsPerDocument;
        Assert.InRange(sheets, 1_310_200m * 0.999m, 1_310_200m * 1.001m);
        Assert.InRange(sheets * o.PaperYuanPerSheet, 123_400m * 0.999m, 123_400m * 1.001m);
        Assert.InRange(sheets * o.ConsumablesYuanPerSheet, 205_700m * 0.999m, 205_700m * 1.001m);
        Assert.InRange(documents * o.TransportYuanPerDocument, 191_500m * 0.999m, 191_500m * 1.001m);
        Assert.InRange(documents * o.OtherYuanPerDocument, 80_000m * 0.999m, 80_000m * 1.001m);
        var total = (sheets * (o.PaperYuanPerSheet + o.ConsumablesYuanPerSheet)) + (documents * (o.TransportYuanPerDocument + o.OtherYuanPerDocument));
        Assert.InRange(total, 600_600m * 0.999m, 600_600m * 1.001m);
    }

    [Theory]
    [InlineData("2026-11-01", "2026-10-31", "to must not be before from")]
    [InlineData("2026/11/01", null, "from must be a date yyyy-MM-dd")]
    [InlineData("2016-01-01", "2026-11-27", "the period may cover at most 3660 days")]
    public void BadPeriods_AreRefused(string? from, string? to, string error)
    {
        Assert.Null(SupervisionPeriod.TryParse(from, to, new DateOnly(2026, 11, 27), 3660, out var message));
        Assert.Equal(error, message);
    }

    [Fact]
    public void Period_DefaultsToThisMonth_AndPresetsFollowChineseCalendarQuarters()
    {
        var today = new DateOnly(2026, 11, 27);
        Assert.Equal(new SupervisionPeriod(new DateOnly(2026, 11, 1), today), SupervisionPeriod.TryParse(null, null, today, 3660, out _));
        Assert.Equal(new DateOnly(2026, 10, 1), SupervisionPeriod.Quarter(today).From);
        Assert.Equal(new DateOnly(2026, 1, 1), SupervisionPeriod.Year(today).From);
    }

    private sealed class FixedTickets(IReadOnlyDictionary<string, TicketFigures> figures) : ITicketStatistics
    {
        public IReadOnlyDictionary<string, TicketFigures>? For(DateTimeOffset fromUtc, DateTimeOffset toUtc) => figures;
    }
}
