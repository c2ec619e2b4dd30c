using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Benchmarks;

/// <summary>One generated document row: the engine columns and the data columns of the real documents table.</summary>
internal sealed class DocRow
{
    public required string Id { get; init; }
    public required string Hlc { get; set; }
    public string? PrevHlc { get; set; }
    public required string Origin { get; init; }
    public required JsonObject Data { get; init; }

    /// <summary>Values in the column order of <see cref="DocGen.Columns"/>.</summary>
    public object?[] Values()
    {
        var v = new object?[DocGen.Columns.Length];
        v[0] = Id;
        v[1] = Hlc;
        v[2] = PrevHlc;
        v[3] = Origin;
        v[4] = 0L;
        for (var i = 5; i < DocGen.Columns.Length; i++) v[i] = Data[DocGen.Columns[i]]?.GetValue<string>();
        return v;
    }

    public SyncChange ToChange(long seq = 0) => new()
    {
        Table = DocumentsTable.Name,
        Id = Id,
        Hlc = Hlc,
        Prev = PrevHlc,
        Origin = Origin,
        Data = Data,
        Seq = seq,
    };
}

/// <summary>
/// Deterministic documents shaped like the office module writes them: title about 40 characters, body about 200
/// (words drawn from a 240-word vocabulary of office vocabulary plus numbers and dates, seeded), a real document type and
/// urgency, recipients, ISO timestamps. Ids are UUIDv7 in creation order and stamps are HLCs of the origin, as
/// <c>LocalStoreBase.Insert</c> makes them.
/// </summary>
internal sealed class DocGen(int seed)
{
    public static readonly string[] Columns =
        ["id", "hlc", "prev_hlc", "origin", "deleted", "title", "doc_type", "urgency", "body", "recipients", "created_utc", "updated_utc"];

    private static readonly string[] Words = """
        county township office notice report meeting budget plan review water road bridge school clinic village
        committee district household survey census tax fee permit license application approval request reply
        circular minutes decision opinion agenda schedule deadline quarter annual monthly weekly record archive
        file document letter memo summary inspection safety fire flood drought harvest grain seed fertilizer
        livestock forest river canal reservoir pump station power line grid solar wind transport bus station
        market trade price subsidy pension insurance health medical hospital doctor nurse teacher student exam
        training course workshop seminar volunteer resident elderly child youth family poverty relief housing
        repair construction project contract tender supplier payment invoice audit account finance revenue
        expenditure allocation fund grant loan bank credit cooperative enterprise factory workshop employment
        labor wage worker migrant registration identity card certificate marriage birth death land parcel
        boundary dispute mediation court police security patrol traffic accident emergency response drill
        epidemic vaccine prevention sanitation waste garbage recycling sewage environment pollution monitor
        quality standard compliance rectification deadline extension urgent attention please ensure submit
        before after during within following regarding concerning about under according relevant responsible
        department bureau section unit staff officer chief director deputy secretary party branch council
        the of and to in for on with by from at as is are be will shall must should may all each every new
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    private static readonly string[] DocTypes = ["通知", "通报", "报告", "请示", "批复", "函", "纪要", "意见"];
    private static readonly string[] Urgencies = [Urgency.Normal, Urgency.Normal, Urgency.Normal, Urgency.Urgent, Urgency.ExtraUrgent];

    private readonly Random _rng = new(seed);

    public string Text(int length)
    {
        var sb = new StringBuilder(length + 16);
        while (sb.Length < length)
        {
            if (sb.Length > 0) sb.Append(' ');
            var r = _rng.Next(100);
            if (r < 6) sb.Append(_rng.Next(1, 9999).ToString(CultureInfo.InvariantCulture));
            else if (r < 8) sb.Append(CultureInfo.InvariantCulture, $"{2020 + _rng.Next(6)}-{_rng.Next(1, 13):00}-{_rng.Next(1, 29):00}");
            else sb.Append(Words[_rng.Next(Words.Length)]);
        }
        if (sb.Length > length) sb.Length = length;
        return sb.ToString().TrimEnd();
    }

    public JsonObject Document(string recipients, DateTimeOffset at)
    {
        var when = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["title"] = Text(40),
            ["doc_type"] = DocTypes[_rng.Next(DocTypes.Length)],
            ["urgency"] = Urgencies[_rng.Next(Urgencies.Length)],
            ["body"] = Text(200),
            ["recipients"] = recipients,
            ["created_utc"] = when,
            ["updated_utc"] = when,
        };
    }

    /// <summary><paramref name="count"/> documents of <paramref name="origin"/>, one per millisecond starting at <paramref name="start"/>.</summary>
    public List<DocRow> Rows(int count, string origin, string recipients, DateTimeOffset start)
    {
        var list = new List<DocRow>(count);
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMilliseconds(i);
            list.Add(new DocRow
            {
                Id = Guid.CreateVersion7(at).ToString(),
                Hlc = new Hlc(at.ToUnixTimeMilliseconds(), 0, origin).ToString(),
                Origin = origin,
                Data = Document(recipients, at),
            });
        }
        return list;
    }

    private static readonly JsonSerializerOptions PlainJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The row as plain JSON: one flat object with every stored column (engine and data), compact, UTF-8 unescaped.
    /// This is the "plain JSON size" of wire_vs_json.
    /// </summary>
    public static int PlainJsonBytes(DocRow row)
    {
        var o = new JsonObject
        {
            ["id"] = row.Id,
            ["hlc"] = row.Hlc,
            ["prev_hlc"] = row.PrevHlc,
            ["origin"] = row.Origin,
            ["deleted"] = 0,
        };
        foreach (var (k, v) in row.Data) o[k] = v?.DeepClone();
        return Encoding.UTF8.GetByteCount(o.ToJsonString(PlainJson));
    }

    /// <summary>UTF-8 bytes of the title and body and of all data columns (the "~250 bytes" of the spec).</summary>
    public static (double TitleBody, double AllData) AverageSizes(IReadOnlyList<DocRow> rows)
    {
        double tb = 0, all = 0;
        foreach (var r in rows)
        {
            tb += Encoding.UTF8.GetByteCount(r.Data["title"]!.GetValue<string>()) + Encoding.UTF8.GetByteCount(r.Data["body"]!.GetValue<string>());
            foreach (var (_, v) in r.Data) all += v is null ? 0 : Encoding.UTF8.GetByteCount(v.GetValue<string>());
        }
        return (tb / rows.Count, all / rows.Count);
    }
}
