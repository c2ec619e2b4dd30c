using EGovEdge.Sync.Clock;
using Microsoft.Extensions.Time.Testing;

namespace EGovEdge.Sync.Tests.Clock;

public class HlcClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_ClockAdvances_UsesWallTimeWithCounterZero()
    {
        var time = new FakeTimeProvider(T0);
        var clock = new HlcClock("malu", time);

        var first = clock.Next();
        time.Advance(TimeSpan.FromMilliseconds(250));
        var second = clock.Next();

        Assert.Equal(new Hlc(T0.ToUnixTimeMilliseconds(), 0, "malu"), first);
        Assert.Equal(new Hlc(T0.ToUnixTimeMilliseconds() + 250, 0, "malu"), second);
    }

    [Fact]
    public void Next_ClockStandsStill_StrictlyIncreases()
    {
        var clock = new HlcClock("malu", new FakeTimeProvider(T0));
        var previous = clock.Next();

        for (var i = 1; i <= 1_000; i++)
        {
            var next = clock.Next();
            Assert.True(next > previous, $"{next} should sort after {previous}");
            Assert.True(Hlc.CompareText(next.ToString(), previous.ToString()) > 0);
            Assert.Equal(T0.ToUnixTimeMilliseconds(), next.WallMs);
            Assert.Equal(i, next.Counter);
            previous = next;
        }
    }

    [Fact]
    public void Next_ClockGoesBackwards_StillStrictlyIncreases()
    {
        var time = new FakeTimeProvider(T0.AddMinutes(10));
        var clock = new HlcClock("malu", time);
        var beforeJump = clock.Next();

        time.AdjustTime(T0); // NTP step: ten minutes back
        var stamps = Enumerable.Range(0, 50).Select(_ => clock.Next()).ToList();

        var previous = beforeJump;
        foreach (var s in stamps)
        {
            Assert.True(s > previous, $"{s} should sort after {previous}");
            Assert.Equal(beforeJump.WallMs, s.WallMs);
            previous = s;
        }

        // Once the wall clock passes the remembered time again, wall time takes over with a fresh counter.
        time.AdjustTime(T0.AddMinutes(11));
        var after = clock.Next();
        Assert.True(after > previous);
        Assert.Equal(new Hlc(T0.AddMinutes(11).ToUnixTimeMilliseconds(), 0, "malu"), after);
    }

    [Fact]
    public void Next_CounterExhausted_CarriesIntoWallAndKeepsIncreasing()
    {
        var clock = new HlcClock("malu", new FakeTimeProvider(T0));
        var previous = clock.Next();
        for (var i = 0; i < 100_000; i++)
        {
            var next = clock.Next();
            Assert.True(next > previous);
            previous = next;
        }

        Assert.Equal(new Hlc(T0.ToUnixTimeMilliseconds() + 1, 0, "malu"), previous);
        Assert.Equal(Hlc.CounterDigits + Hlc.WallDigits + 2 + "malu".Length, previous.ToString().Length);
    }

    [Fact]
    public void Observe_RemoteStampAhead_LaterNextIsLarger()
    {
        var clock = new HlcClock("malu", new FakeTimeProvider(T0));
        var remote = new Hlc(T0.AddMinutes(5).ToUnixTimeMilliseconds(), 42, "guangshun");

        clock.Observe(remote);
        var next = clock.Next();

        Assert.True(next > remote);
        Assert.True(Hlc.CompareText(next.ToString(), remote.ToString()) > 0);
        Assert.Equal(new Hlc(remote.WallMs, 43, "malu"), next);
    }

    [Fact]
    public void Observe_RemoteSameWallHigherCounterAndHigherNode_LaterNextIsLarger()
    {
        var clock = new HlcClock("a", new FakeTimeProvider(T0));
        clock.Next();
        var remote = new Hlc(T0.ToUnixTimeMilliseconds(), 500, "zzz");

        clock.Observe(remote.ToString());
        var next = clock.Next();

        Assert.True(next > remote);
        Assert.Equal(501, next.Counter);
    }

    [Fact]
    public void Observe_RemoteSameWallAndCounterButHigherNode_LaterNextIsLarger()
    {
        var clock = new HlcClock("a", new FakeTimeProvider(T0));
        var local = clock.Next();
        var remote = new Hlc(local.WallMs, local.Counter, "zzz");

        clock.Observe(remote);

        Assert.True(clock.Next() > remote);
    }

    [Fact]
    public void Observe_OlderRemote_DoesNotMoveTheClockBack()
    {
        var clock = new HlcClock("malu", new FakeTimeProvider(T0));
        var last = clock.Next();

        clock.Observe(new Hlc(T0.AddHours(-1).ToUnixTimeMilliseconds(), 99, "guangshun"));
        var next = clock.Next();

        Assert.Equal(new Hlc(last.WallMs, last.Counter + 1, "malu"), next);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("9999999999999999.99999")]
    [InlineData("not-a-stamp")]
    public void Observe_UnparsableText_IsIgnored(string? text)
    {
        var clock = new HlcClock("malu", new FakeTimeProvider(T0));
        clock.Next();

        clock.Observe(text);

        Assert.Equal(new Hlc(T0.ToUnixTimeMilliseconds(), 1, "malu"), clock.Next());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Malu")]
    [InlineData("1malu")]
    [InlineData("ma lu")]
    [InlineData("malu@hub")]
    public void Constructor_InvalidNodeId_Throws(string nodeId) =>
        Assert.Throws<ArgumentException>(() => new HlcClock(nodeId, TimeProvider.System));
}
