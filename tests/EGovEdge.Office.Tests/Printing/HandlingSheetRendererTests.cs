using System.Text;
using EGovEdge.Office.Printing;

namespace EGovEdge.Office.Tests.Printing;

/// <summary>The handling sheet (发文稿纸 / 收文处理单): deterministic bytes, the header and every step in the text, page flow.</summary>
public sealed class HandlingSheetRendererTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 1, 30, 0, TimeSpan.Zero);

    internal static HandlingSheetDocument Sample() => new()
    {
        Incoming = false,
        Organ = "广顺镇人民政府",
        Number = "广府发〔2026〕7号",
        Title = "关于做好冬春森林防火工作的通知",
        Secrecy = "无",
        Urgency = "加急",
        DateWritten = "2026-11-27",
        ArchivalCode = "GUANGSHUN-WS·2026-D30-0001",
        Steps =
        [
            new("送审", "李文", Start, "广顺镇人民政府", null),
            new("审核", "张华", Start.AddHours(2), "广顺镇人民政府", "文稿格式符合要求，建议按程序报请签发。"),
            new("签发", "陈刚", Start.AddDays(1), "广顺镇人民政府", "同意印发"),
            new("核发", "赵敏", Start.AddDays(2).AddMinutes(5), "广顺镇人民政府", null),
        ],
    };

    [Fact]
    public void Render_same_sheet_twice_gives_the_same_bytes_and_a_change_changes_them()
    {
        var a = new HandlingSheetRenderer().Render(Sample());
        var b = new HandlingSheetRenderer().Render(Sample());
        Assert.Equal(a, b);
        Assert.NotEqual(a, new HandlingSheetRenderer().Render(Sample() with { Number = "广府发〔2026〕8号" }));
        var steps = Sample().Steps.ToList();
        steps[2] = steps[2] with { Opinion = "同意" };
        Assert.NotEqual(a, new HandlingSheetRenderer().Render(Sample() with { Steps = steps }));
    }

    [Fact]
    public void Render_outgoing_sheet_shows_title_header_and_every_step_in_order_in_China_time()
    {
        var pdf = new HandlingSheetRenderer().Render(Sample());
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        using (var doc = PdfText.Open(pdf))
        {
            Assert.Equal(1, doc.PageCount);
            Assert.Equal(595.28, doc.Pages[0].Width.Point, 1);
            Assert.Equal(841.89, doc.Pages[0].Height.Point, 1);
        }
        var text = string.Concat(PdfText.Pages(pdf));
        string[] inOrder =
        [
            "发文稿纸", "发文机关", "广顺镇人民政府", "发文字号", "广府发〔2026〕7号", "标题", "关于做好冬春森林防火工作的通知", "密级", "无",
            "紧急程度", "加急", "成文日期", "2026年11月27日", "档号", "GUANGSHUN-WS·2026-D30-0001",
            "环节", "办理人", "时间", "节点", "意见",
            "送审", "李文", "2026-11-20 09:30",
            "审核", "张华", "2026-11-20 11:30",
            "签发", "陈刚", "2026-11-21 09:30", "同意印发",
            "核发", "赵敏", "2026-11-22 09:35",
            "— 1 —",
        ];
        var at = 0;
        foreach (var part in inOrder)
        {
            var found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' missing after position {at} in: {text}");
            at = found + part.Length;
        }
        Assert.DoesNotContain("收文处理单", text, StringComparison.Ordinal);
        // The opinion is longer than its cell: it is broken over lines but nothing is lost.
        Assert.Contains("文稿格式符合要求", text, StringComparison.Ordinal);
        Assert.Contains("报请签发。", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_incoming_sheet_is_titled_收文处理单_with_the_sending_organ()
    {
        var pdf = new HandlingSheetRenderer().Render(Sample() with { Incoming = true, Organ = "长顺县人民政府办公室" });
        var text = string.Concat(PdfText.Pages(pdf));
        Assert.StartsWith("收文处理单", text, StringComparison.Ordinal);
        Assert.Contains("来文机关", text, StringComparison.Ordinal);
        Assert.Contains("长顺县人民政府办公室", text, StringComparison.Ordinal);
        Assert.DoesNotContain("发文稿纸", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_long_history_flows_onto_further_pages_with_the_table_header_repeated()
    {
        var steps = Enumerable.Range(1, 40).Select(i => new HandlingSheetEntry(
            "传阅", $"阅者{i:D2}", Start.AddHours(i), "马路乡人民政府", $"第{i}次阅处：已阅，请相关站所按照通知要求抓好落实，并于月底前报送工作进展情况。")).ToList();
        var pdf = new HandlingSheetRenderer().Render(Sample() with { Steps = steps });
        var pages = PdfText.Pages(pdf);
        Assert.True(pages.Count >= 2, $"{pages.Count} page(s)");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains("环节办理人时间节点意见", pages[i], StringComparison.Ordinal);
            Assert.Contains($"— {i + 1} —", pages[i], StringComparison.Ordinal);
        }
        // The header block is on the first page only.
        Assert.Contains("发文字号", pages[0], StringComparison.Ordinal);
        Assert.DoesNotContain("发文字号", pages[1], StringComparison.Ordinal);
        // Every step is there once, in order across the pages.
        var all = string.Concat(pages);
        var at = 0;
        foreach (var step in steps)
        {
            var found = all.IndexOf(step.Actor, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{step.Actor}' missing after position {at}");
            at = found + step.Actor.Length;
        }
        Assert.Contains("阅者40", pages[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("阅者01", pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_an_opinion_taller_than_a_page_is_split_rather_than_lost()
    {
        var opinion = string.Concat(Enumerable.Range(1, 400).Select(i => $"第{i}条意见。"));
        var pdf = new HandlingSheetRenderer().Render(Sample() with { Steps = [new("批办", "陈刚", Start, "马路乡人民政府", opinion)] });
        var pages = PdfText.Pages(pdf);
        Assert.True(pages.Count >= 2, $"{pages.Count} page(s)");
        var all = string.Concat(pages);
        Assert.Contains("第1条意见。", all, StringComparison.Ordinal);
        Assert.Contains("第400条意见。", all, StringComparison.Ordinal);
    }
}
