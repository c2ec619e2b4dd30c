using System.Text.RegularExpressions;

namespace EGovEdge.Office.Tickets;

/// <summary>
/// Removes personal data before anything is published: the resident's name, phone, ID number, e-mail and address as
/// given, plus anything in the text that looks like a mobile or landline number, an ID card number or an e-mail.
/// </summary>
public static partial class Redactor
{
    public const string Hidden = "［已隐去］";

    public static string Scrub(string? text, TicketRecord? ticket = null)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var s = text;
        if (ticket is not null)
        {
            foreach (var value in new[] { ticket.ResidentIdNumber, ticket.ResidentPhone, ticket.ResidentEmail, ticket.Address })
            {
                if (!string.IsNullOrWhiteSpace(value) && value.Trim().Length >= 2) s = s.Replace(value.Trim(), Hidden, StringComparison.Ordinal);
            }
            if (!string.IsNullOrWhiteSpace(ticket.ResidentName) && ticket.ResidentName.Trim().Length >= 2)
            {
                s = s.Replace(ticket.ResidentName.Trim(), MaskName(ticket.ResidentName), StringComparison.Ordinal);
            }
        }
        s = IdNumber().Replace(s, Hidden);
        s = Mobile().Replace(s, m => MaskPhone(m.Value));
        s = Landline().Replace(s, Hidden);
        s = Email().Replace(s, Hidden);
        return s;
    }

    /// <summary>138****5678: staff lists show only what they need.</summary>
    public static string MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return "";
        return phone.Length >= 11 ? phone[..3] + "****" + phone[^4..] : new string('*', phone.Length);
    }

    /// <summary>张** (the family name only).</summary>
    public static string MaskName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var n = name.Trim();
        return n[..1] + new string('*', Math.Max(1, n.Length - 1));
    }

    [GeneratedRegex(@"(?<![0-9])[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])|(?<![0-9])[1-9][0-9]{14}(?![0-9])")]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"(?<![0-9])0[0-9]{2,3}-?[0-9]{7,8}(?![0-9])")]
    private static partial Regex Landline();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();
}
