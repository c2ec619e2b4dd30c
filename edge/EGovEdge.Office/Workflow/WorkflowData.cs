using System.Data.Common;
using System.Globalization;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Workflow;

/// <summary>Reads of the workflow tables shared by the document and workflow services (SQLite and PostgreSQL alike).</summary>
public static class WorkflowData
{
    /// <summary>The steps of one document, in HLC (clock) order.</summary>
    public static List<StepRecord> Steps(DbConnection conn, DbTransaction? tx, string documentId)
    {
        var t = StepsTable.Definition;
        var list = new List<StepRecord>();
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM document_steps WHERE document_id = @d AND deleted = 0 ORDER BY hlc", tx,
            ("@d", documentId));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(ToStep(RowIo.ReadRow(t, r)));
        return list;
    }

    /// <summary>Steps of many documents at once, grouped by document id.</summary>
    public static Dictionary<string, List<StepRecord>> StepsOf(DbConnection conn, IReadOnlyCollection<string> documentIds)
    {
        var map = new Dictionary<string, List<StepRecord>>(StringComparer.Ordinal);
        foreach (var chunk in documentIds.Chunk(200))
        {
            var t = StepsTable.Definition;
            var names = chunk.Select((_, i) => "@d" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM document_steps WHERE deleted = 0 AND document_id IN ({string.Join(", ", names)}) ORDER BY hlc",
                null, [.. chunk.Select((id, i) => (names[i], (object?)id))]);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var s = ToStep(RowIo.ReadRow(t, r));
                if (!map.TryGetValue(s.DocumentId, out var l)) map[s.DocumentId] = l = [];
                l.Add(s);
            }
        }
        return map;
    }

    public static StepRecord ToStep(SyncRow row) => new(
        row.Id, row.Hlc, row.Text("document_id") ?? "", row.Text("doc_origin") ?? "", row.Text("kind") ?? "", row.Text("recipient"),
        row.Text("node") ?? row.Origin, row.Text("actor") ?? "", row.Text("actor_name"), ParseUtc(row.Text("at_utc")), row.Text("opinion"),
        row.Text("data"));

    public static IReadOnlyList<string> CoIssuers(SyncRow doc) => Recipients.Decode(doc.Text("co_issuers"));

    /// <summary>The outgoing state of a document from its steps.</summary>
    public static OutgoingState StateOf(SyncRow doc, IEnumerable<StepRecord> steps) =>
        WorkflowRules.Outgoing(doc.Origin, [.. CoIssuers(doc)], steps);

    public static DateTimeOffset ParseUtc(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;

    /// <summary>A localizer for the workflow strings when none is injected (services built by hand, e.g. in tests).</summary>
    public static IStringLocalizer<WorkflowText> DefaultText { get; } = new StringLocalizer<WorkflowText>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    /// <summary>密级 values that mean "not classified".</summary>
    public static bool IsUnclassified(string? secrecy) =>
        string.IsNullOrWhiteSpace(secrecy) || secrecy.Trim() is "无" or "非密" or "公开" or "none";
}
