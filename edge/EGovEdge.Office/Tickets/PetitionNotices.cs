using System.Globalization;
using EGovEdge.Office.Printing;

namespace EGovEdge.Office.Tickets;

/// <summary>
/// The wording of a petition's written notices (书面告知). They are official documents addressed to the petitioner and
/// always in Chinese, whatever the clerk's UI language: title, number code (受, 不受, 处, 复查, 复核), body and the
/// legal-basis sentence of 《信访工作条例》.
/// </summary>
public static class PetitionNotices
{
    public static string Title(string kind) => kind switch
    {
        TicketNoticeKinds.Accept => "信访事项受理告知书",
        TicketNoticeKinds.NotAccept => "信访事项不予受理告知书",
        TicketNoticeKinds.Opinion => "信访事项处理意见书",
        TicketNoticeKinds.Review => "信访事项复查意见书",
        TicketNoticeKinds.ReReview => "信访事项复核意见书",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The code in the number after the prefix: 长信访<b>受</b>〔2026〕12号.</summary>
    public static string Code(string kind) => kind switch
    {
        TicketNoticeKinds.Accept => "受",
        TicketNoticeKinds.NotAccept => "不受",
        TicketNoticeKinds.Opinion => "处",
        TicketNoticeKinds.Review => "复查",
        TicketNoticeKinds.ReReview => "复核",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Number(string prefix, string kind, long year, long seq) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{Code(kind)}〔{year}〕{seq}号");

    /// <summary>A township's prefix from its organ's short name (广顺镇 → 广顺信访); the hub's is configured.</summary>
    public static string TownshipPrefix(string shortName)
    {
        ArgumentNullException.ThrowIfNull(shortName);
        var n = shortName.Trim();
        foreach (var suffix in new[] { "街道", "镇", "乡" })
        {
            if (n.Length > suffix.Length && n.EndsWith(suffix, StringComparison.Ordinal)) return n[..^suffix.Length] + "信访";
        }
        return n + "信访";
    }

    public static string NotAcceptReason(string? code) => code switch
    {
        NotAcceptReasons.Litigation => "属于应当通过诉讼、仲裁、行政复议等法定途径解决的事项，请依照有关法律、行政法规规定的程序向有关机关提出",
        NotAcceptReasons.Decided => "该事项已经依法处理，且未在规定期限内请求复查、复核或者已经复核终结",
        _ => "不属于本机关法定职权范围，请向有权处理的机关提出",
    };

    private static string Channel(string channel) => channel switch
    {
        TicketChannels.Letter => "来信",
        TicketChannels.Visit => "来访",
        TicketChannels.Online or TicketChannels.Portal or TicketChannels.Open311 => "网上信访",
        TicketChannels.Phone => "电话",
        TicketChannels.Hotline => "12345热线转办",
        _ => "来访",
    };

    /// <summary>The letter for <paramref name="kind"/>, issued by <paramref name="organ"/> on <paramref name="issued"/> for event <paramref name="e"/>.</summary>
    public static PetitionLetter Letter(string kind, TicketRecord t, TicketStatus s, TicketEvent e, string organ, string number, DateTimeOffset issued)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(e);
        var filed = Localization.ChinaTime.FormatDate(t.AcceptedUtc);
        var matter = $"您于{filed}以{Channel(t.Channel)}形式提出的信访事项（登记编号：{t.Number}）";
        string body, basis;
        switch (kind)
        {
            case TicketNoticeKinds.Accept:
                body = matter + "，经审查，符合受理条件，本机关决定予以受理。\n" +
                    "本机关将自受理之日起六十日内办结，并书面答复处理意见；情况复杂的，经本机关负责人批准，可以适当延长办理期限，延长期限不超过三十日，并告知延期理由。";
                basis = "根据《信访工作条例》的规定，特此告知。";
                break;
            case TicketNoticeKinds.NotAccept:
                body = matter + "，经审查，" + NotAcceptReason(e.ReasonCode) + "，本机关决定不予受理。" +
                    (string.IsNullOrWhiteSpace(e.Opinion) ? "" : "\n" + e.Opinion.Trim());
                basis = "根据《信访工作条例》的规定，特此告知。";
                break;
            case TicketNoticeKinds.Opinion:
                body = matter + "，本机关已依法受理。经调查核实，处理意见如下：\n" + (e.Reply ?? "").Trim() + "\n" +
                    "如对本处理意见不服，可以自收到本意见书之日起三十日内向本机关的上一级机关请求复查。";
                basis = "根据《信访工作条例》的规定，特此答复。";
                break;
            case TicketNoticeKinds.Review:
                body = $"您对登记编号为{t.Number}的信访事项的处理意见不服，于{Received(s.ReviewApplication)}提出复查请求。经复查，意见如下：\n" +
                    (e.Reply ?? "").Trim() + "\n如对本复查意见不服，可以自收到本意见书之日起三十日内向复查机关的上一级机关请求复核。";
                basis = "根据《信访工作条例》的规定，特此答复。";
                break;
            case TicketNoticeKinds.ReReview:
                body = $"您对登记编号为{t.Number}的信访事项的复查意见不服，于{Received(s.ReReviewApplication)}提出复核请求。经复核，意见如下：\n" +
                    (e.Reply ?? "").Trim() + "\n本复核意见为终结意见。您就同一事项再次提出信访的，不再受理。";
                basis = "根据《信访工作条例》的规定，特此答复。";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        return new PetitionLetter
        {
            Organ = organ,
            Title = Title(kind),
            Number = number,
            Addressee = string.IsNullOrWhiteSpace(t.ResidentName) ? "信访人" : t.ResidentName.Trim(),
            Body = body,
            LegalBasis = basis,
            IssuedBy = organ,
            Date = WorkingCalendar.ChinaDate(issued),
        };
    }

    private static string Received(TicketEvent? application) =>
        application?.ReceivedUtc is { } r ? Localization.ChinaTime.FormatDate(r) : "";
}
