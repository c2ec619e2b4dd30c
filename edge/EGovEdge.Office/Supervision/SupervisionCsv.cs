using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using EGovEdge.Office.Localization;

namespace EGovEdge.Office.Supervision;

/// <summary>The report as CSV (UTF-8 with BOM, so Excel opens the Chinese headers correctly): one line per unit, then the total and the method.</summary>
public static class SupervisionCsv
{
    /// <summary>The columns of the unit table, in order: resource key and value.</summary>
    public static readonly IReadOnlyList<(string Key, Func<UnitFigures, string> Value)> Columns =
    [
        ("Sup_Col_Issued", u => N(u.Issued)),
        ("Sup_Col_Circulated", u => N(u.Circulated)),
        ("Sup_Col_Readings", u => N(u.Readings)),
        ("Sup_Col_SignedOff", u => N(u.SignedOff)),
        ("Sup_Col_SignOffMedian", u => H(u.SignOffMedianHours)),
        ("Sup_Col_SignOffAverage", u => H(u.SignOffAverageHours)),
        ("Sup_Col_OverdueDocs", u => N(u.OverdueDocuments)),
        ("Sup_Col_Notices", u => N(u.Notices)),
        ("Sup_Col_Reminders", u => N(u.Reminders)),
        ("Sup_Col_Warnings", u => N(u.Warnings)),
        ("Sup_Col_DocReminders", u => N(u.DocumentReminders)),
        ("Sup_Col_SmsSent", u => N(u.SmsSent)),
        ("Sup_Col_SmsFailed", u => N(u.SmsFailed)),
        ("Sup_Col_Actions", u => N(u.Actions)),
        ("Sup_Col_ActiveUsers", u => N(u.ActiveUsers)),
        ("Sup_Col_Accounts", u => N(u.Accounts)),
        ("Sup_Col_Sheets", u => M(u.Sheets)),
        ("Sup_Col_Paper", u => M(u.PaperYuan)),
        ("Sup_Col_Consumables", u => M(u.ConsumablesYuan)),
        ("Sup_Col_Transport", u => M(u.TransportYuan)),
        ("Sup_Col_Other", u => M(u.OtherYuan)),
        ("Sup_Col_Saved", u => M(u.SavedYuan)),
        ("Sup_Col_Conflicts", u => N(u.Conflicts)),
        ("Sup_Col_OpenConflicts", u => N(u.OpenConflicts)),
        ("Sup_Col_Inspections", u => N(u.Inspections)),
        ("Sup_Col_OverdueTickets", u => u.OverdueTickets is { } v ? N(v) : ""),
        ("Sup_Col_TicketsOnTime", u => u.TicketsClosedOnTime is { } v ? N(v) : ""),
        ("Sup_Col_Satisfaction", u => u.TicketSatisfaction is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : ""),
    ];

    public static byte[] Write(SupervisionReport report, IStringLocalizer<SupervisionText> text)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder();
        Line(sb, [text["Sup_Col_Unit"], text["Sup_Col_Code"], .. Columns.Select(c => (string)text[c.Key])]);
        foreach (var u in report.Units) Line(sb, [u.Name, u.Unit, .. Columns.Select(c => c.Value(u))]);
        Line(sb, [text["Sup_Total"], "", .. Columns.Select(c => c.Value(report.Total))]);
        sb.Append("\r\n");
        var m = report.Method;
        Line(sb, [text["Sup_Csv_Period"], report.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " ~ " + report.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
        Line(sb, [text["Sup_Csv_Node"], report.Node]);
        Line(sb, [text["Sup_Method_SheetsPerDoc"], M(m.SheetsPerDocument)]);
        Line(sb, [text["Sup_Method_PaperPerSheet"], M(m.PaperYuanPerSheet)]);
        Line(sb, [text["Sup_Method_ConsumablesPerSheet"], M(m.ConsumablesYuanPerSheet)]);
        Line(sb, [text["Sup_Method_TransportPerDoc"], M(m.TransportYuanPerDocument)]);
        Line(sb, [text["Sup_Method_OtherPerDoc"], M(m.OtherYuanPerDocument)]);
        var bom = Encoding.UTF8.GetPreamble();
        var body = Encoding.UTF8.GetBytes(sb.ToString());
        return [.. bom, .. body];
    }

    private static void Line(StringBuilder sb, IEnumerable<string> cells)
    {
        sb.Append(string.Join(',', cells.Select(Escape))).Append("\r\n");
    }

    /// <summary>Quotes a cell when needed; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it as a formula.</summary>
    internal static string Escape(string? cell)
    {
        var s = cell ?? "";
        if (s.Length > 0 && s[0] is '=' or '+' or '@' || (s.Length > 1 && s[0] == '-' && !char.IsDigit(s[1]))) s = "'" + s;
        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    internal static string N(int v) => v.ToString(CultureInfo.InvariantCulture);

    internal static string M(decimal v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    internal static string H(double? v) => v is { } h ? h.ToString("0.0", CultureInfo.InvariantCulture) : "";
}
