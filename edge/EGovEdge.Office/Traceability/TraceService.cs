using System.Globalization;
using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Townships;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Traceability;

/// <summary>
/// Producers, products, batches and inspection results at this node. A township registers its own producers and
/// batches offline; the hub serves the public lookup once they have synced. Inspection results are append-only and
/// count only when recorded by the batch's node or the hub.
/// </summary>
public sealed class TraceService(ILocalStore store, TimeProvider time, IStringLocalizer<TraceText> text, IOptions<TraceOptions> options)
{
    public string NodeId => store.NodeId;

    private DateTimeOffset Now => time.GetUtcNow();

    private SyncTable T(string name) => store.Schema[name];

    private static OfficeValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>What the QR code of a batch with this short code encodes.</summary>
    public string QrPayload(string shortCode) => TraceQr.Payload(options.Value.PublicBaseUrl, shortCode);

    // ---------------------------------------------------------------- producers and products

    public ProducerDto CreateProducer(ProducerInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        var kind = string.IsNullOrWhiteSpace(input.Kind) ? TraceTables.KindFarmer : input.Kind.Trim();
        if (!TraceTables.ProducerKinds.Contains(kind)) errors["kind"] = [text["Val_KindUnknown"]];
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = [text["Val_NameRequired"]];
        else if (name.Length > 100) errors["name"] = [text["Val_TooLong"]];
        var township = string.IsNullOrWhiteSpace(input.Township) ? store.NodeId : input.Township.Trim();
        if (store.NodeId != NodeIds.Hub && township != store.NodeId) errors["township"] = [text["Val_OwnTownship"]];
        if ((input.Village?.Length ?? 0) > 100 || (input.Contact?.Length ?? 0) > 50 || (input.Licence?.Length ?? 0) > 50) errors["village"] = [text["Val_TooLong"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        return ToProducer(store.Insert(TraceTables.Producers, new JsonObject
        {
            ["kind"] = kind,
            ["name"] = name,
            ["township"] = township,
            ["village"] = input.Village?.Trim() ?? "",
            ["contact"] = input.Contact?.Trim() ?? "",
            ["licence"] = input.Licence?.Trim() ?? "",
            ["created_by"] = actor.Username,
            ["created_utc"] = BookingTime.Text(Now),
        }));
    }

    public List<ProducerDto> Producers()
    {
        using var conn = store.OpenConnection();
        return BookingEngine.Select(conn, null, T(TraceTables.Producers), "WHERE r.deleted = 0 ORDER BY r.name, r.id").Select(ToProducer).ToList();
    }

    public ProducerDto? Producer(string id) =>
        Guid.TryParse(id, out _) && store.Get(TraceTables.Producers, id) is { Deleted: false } r ? ToProducer(r) : null;

    private static ProducerDto ToProducer(SyncRow r) => new()
    {
        Id = r.Id,
        Kind = r.Text("kind") ?? TraceTables.KindFarmer,
        Name = r.Text("name") ?? "",
        Township = r.Text("township") ?? r.Origin,
        Village = r.Text("village"),
        Contact = r.Text("contact"),
        Licence = r.Text("licence"),
        Origin = r.Origin,
    };

    /// <summary>Registers a product of a producer of this node with the next GTIN-style code of this node.</summary>
    public ProductDto CreateProduct(ProductInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>();
        var producer = input.ProducerId is { } pid && Guid.TryParse(pid, out _) ? store.Get(TraceTables.Producers, pid) : null;
        if (producer is null || producer.Deleted) errors["producerId"] = [text["Val_ProducerUnknown"]];
        else if (!MayWrite(producer)) errors["producerId"] = [text["Val_NotOwnProducer"]];
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = [text["Val_NameRequired"]];
        else if (name.Length > 100) errors["name"] = [text["Val_TooLong"]];
        if ((input.Category?.Length ?? 0) > 50) errors["category"] = [text["Val_TooLong"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var now = Now;
        return store.Transact(w =>
        {
            var count = w.Connection.ScalarLong($"SELECT COUNT(*) FROM {TraceTables.Products} WHERE origin = @me", w.Transaction, ("@me", store.NodeId));
            if (count > 9999) throw Invalid("name", text["Val_GtinExhausted"]);
            return ToProduct(w.Insert(TraceTables.Products, new JsonObject
            {
                ["producer_id"] = producer!.Id,
                ["name"] = name,
                ["category"] = input.Category?.Trim() ?? "",
                ["gtin"] = TraceCodes.Gtin(store.NodeId, count + 1),
                ["created_utc"] = BookingTime.Text(now),
            }));
        });
    }

    public List<ProductDto> Products(string? producerId = null)
    {
        using var conn = store.OpenConnection();
        var t = T(TraceTables.Products);
        return (producerId is null
                ? BookingEngine.Select(conn, null, t, "WHERE r.deleted = 0 ORDER BY r.name, r.id")
                : BookingEngine.Select(conn, null, t, "WHERE r.deleted = 0 AND r.producer_id = @p ORDER BY r.name, r.id", ("@p", producerId)))
            .Select(ToProduct).ToList();
    }

    private static ProductDto ToProduct(SyncRow r) => new()
    {
        Id = r.Id,
        ProducerId = r.Text("producer_id") ?? "",
        Name = r.Text("name") ?? "",
        Category = r.Text("category"),
        Gtin = r.Text("gtin") ?? "",
        Origin = r.Origin,
    };

    /// <summary>This node registered the row, or this node is the hub (which may correct any township's data).</summary>
    private bool MayWrite(SyncRow row) => row.Origin == store.NodeId || store.NodeId == NodeIds.Hub;

    // ---------------------------------------------------------------- batches

    /// <summary>
    /// Registers a batch of a product of this node: batch number unique per product (allocated yyyyMMdd-NN when empty)
    /// and the node's next short code, both in one serialised write.
    /// </summary>
    public BatchDto RegisterBatch(BatchInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        var product = input.ProductId is { } pid && Guid.TryParse(pid, out _) ? store.Get(TraceTables.Products, pid) : null;
        if (product is null || product.Deleted) errors["productId"] = [text["Val_ProductUnknown"]];
        else if (!MayWrite(product)) errors["productId"] = [text["Val_NotOwnProducer"]];
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(Now).DateTime);
        if (!TryDate(input.ProducedOn, out var produced)) errors["producedOn"] = [text["Val_DateFormat"]];
        else if (produced > today) errors["producedOn"] = [text["Val_DateFuture"]];
        var batchNo = input.BatchNo?.Trim();
        if (batchNo is { Length: > 40 }) errors["batchNo"] = [text["Val_TooLong"]];
        if ((input.Place?.Length ?? 0) > 200) errors["place"] = [text["Val_TooLong"]];
        if ((input.Quantity?.Length ?? 0) > 30 || (input.Unit?.Length ?? 0) > 20) errors["quantity"] = [text["Val_TooLong"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var now = Now;
        var row = store.Transact(w =>
        {
            var taken = new HashSet<string>(StringComparer.Ordinal);
            using (var cmd = w.Connection.Command($"SELECT batch_no FROM {TraceTables.Batches} WHERE product_id = @p AND deleted = 0", w.Transaction, ("@p", product!.Id)))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) taken.Add(r.GetString(0));
            }
            if (string.IsNullOrEmpty(batchNo))
            {
                var prefix = produced.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-";
                var n = 1;
                while (taken.Contains(prefix + n.ToString("D2", CultureInfo.InvariantCulture))) n++;
                batchNo = prefix + n.ToString("D2", CultureInfo.InvariantCulture);
            }
            else if (taken.Contains(batchNo))
            {
                throw Invalid("batchNo", text["Val_BatchNoTaken"]);
            }
            var sequence = w.Connection.ScalarLong($"SELECT COUNT(*) FROM {TraceTables.Batches} WHERE origin = @me", w.Transaction, ("@me", store.NodeId));
            var code = TraceCodes.ShortCode(store.NodeId, sequence);
            // A rebuilt node may have fewer rows than codes it issued: skip any code already present.
            while (w.Connection.ScalarLong($"SELECT COUNT(*) FROM {TraceTables.Batches} WHERE short_code = @c", w.Transaction, ("@c", code)) > 0)
            {
                code = TraceCodes.ShortCode(store.NodeId, ++sequence);
            }
            return w.Insert(TraceTables.Batches, new JsonObject
            {
                ["product_id"] = product.Id,
                ["producer_id"] = product.Text("producer_id"),
                ["batch_no"] = batchNo,
                ["produced_on"] = produced.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["place"] = input.Place?.Trim() ?? "",
                ["quantity"] = input.Quantity?.Trim() ?? "",
                ["unit"] = input.Unit?.Trim() ?? "",
                ["short_code"] = code,
                ["recalled"] = 0L,
                ["recall_reason"] = "",
                ["created_by"] = actor.Username,
                ["created_utc"] = BookingTime.Text(now),
            });
        });
        return Batch(row.Id)!;
    }

    /// <summary>Batches known here, newest first (optionally only this node's, or matching a code / batch number / product).</summary>
    public List<BatchDto> Batches(bool mineOnly = false, string? search = null, int limit = 200)
    {
        using var conn = store.OpenConnection();
        var rows = mineOnly
            ? BookingEngine.Select(conn, null, T(TraceTables.Batches), "WHERE r.deleted = 0 AND r.origin = @me ORDER BY r.created_utc DESC, r.id DESC", ("@me", store.NodeId))
            : BookingEngine.Select(conn, null, T(TraceTables.Batches), "WHERE r.deleted = 0 ORDER BY r.created_utc DESC, r.id DESC");
        var products = Products().ToDictionary(p => p.Id);
        var producers = Producers().ToDictionary(p => p.Id);
        var inspections = BookingEngine.Select(conn, null, T(TraceTables.Inspections), "WHERE r.deleted = 0 ORDER BY r.inspected_on DESC, r.id DESC")
            .ToLookup(i => i.Text("batch_id") ?? "", StringComparer.Ordinal);
        var list = rows.Select(r => ToBatch(r, products, producers,
            inspections[r.Id].Where(i => i.Origin == r.Origin || i.Origin == NodeIds.Hub).Select(ToInspection).ToList())).ToList();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim();
            list = list.Where(b => b.ShortCode.Contains(s, StringComparison.OrdinalIgnoreCase) || b.BatchNo.Contains(s, StringComparison.OrdinalIgnoreCase)
                                   || b.ProductName.Contains(s, StringComparison.Ordinal) || b.ProducerName.Contains(s, StringComparison.Ordinal)).ToList();
        }
        return list.Take(limit).ToList();
    }

    public BatchDto? Batch(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        var row = store.Get(TraceTables.Batches, id);
        return row is null || row.Deleted ? null : Full(row);
    }

    public BatchDto? ByCode(string? code)
    {
        var normal = TraceCodes.Normalize(code);
        if (normal is null) return null;
        using var conn = store.OpenConnection();
        var row = BookingEngine.Select(conn, null, T(TraceTables.Batches), "WHERE r.short_code = @c AND r.deleted = 0 ORDER BY r.id", ("@c", normal)).FirstOrDefault();
        return row is null ? null : Full(row);
    }

    private BatchDto Full(SyncRow row)
    {
        var product = store.Get(TraceTables.Products, row.Text("product_id") ?? "");
        var producer = store.Get(TraceTables.Producers, row.Text("producer_id") ?? "");
        var products = product is null ? new Dictionary<string, ProductDto>() : new Dictionary<string, ProductDto> { [product.Id] = ToProduct(product) };
        var producers = producer is null ? new Dictionary<string, ProducerDto>() : new Dictionary<string, ProducerDto> { [producer.Id] = ToProducer(producer) };
        return ToBatch(row, products, producers, Inspections(row));
    }

    private BatchDto ToBatch(SyncRow r, IReadOnlyDictionary<string, ProductDto> products, IReadOnlyDictionary<string, ProducerDto> producers, IReadOnlyList<InspectionDto> inspections)
    {
        var product = products.GetValueOrDefault(r.Text("product_id") ?? "");
        var producer = producers.GetValueOrDefault(r.Text("producer_id") ?? "");
        var code = r.Text("short_code") ?? "";
        return new BatchDto
        {
            Id = r.Id,
            ProductId = r.Text("product_id") ?? "",
            ProductName = product?.Name ?? "",
            Category = product?.Category,
            Gtin = product?.Gtin ?? "",
            ProducerId = r.Text("producer_id") ?? "",
            ProducerName = producer?.Name ?? "",
            BatchNo = r.Text("batch_no") ?? "",
            ProducedOn = r.Text("produced_on") ?? "",
            Place = r.Text("place"),
            Quantity = r.Text("quantity"),
            Unit = r.Text("unit"),
            ShortCode = code,
            Recalled = r.Integer("recalled") is 1,
            RecallReason = r.Text("recall_reason"),
            Origin = r.Origin,
            Created = BookingTime.Parse(r.Text("created_utc")),
            QrPayload = QrPayload(code),
            Inspections = inspections,
        };
    }

    /// <summary>Marks a batch recalled (or lifts the recall with <paramref name="recalled"/> false) at its node or the hub.</summary>
    public BatchDto? Recall(string id, string? reason, bool recalled = true)
    {
        var row = Guid.TryParse(id, out _) ? store.Get(TraceTables.Batches, id) : null;
        if (row is null || row.Deleted) return null;
        if (!MayWrite(row)) throw new OfficeForbiddenException(text["Val_NotOwnBatch"]);
        var why = reason?.Trim() ?? "";
        if (recalled && why.Length == 0) throw Invalid("reason", text["Val_RecallReason"]);
        if (why.Length > 500) throw Invalid("reason", text["Val_TooLong"]);
        store.Update(TraceTables.Batches, id, new JsonObject { ["recalled"] = recalled ? 1L : 0L, ["recall_reason"] = recalled ? why : "" });
        return Batch(id);
    }

    // ---------------------------------------------------------------- inspections

    /// <summary>Appends an inspection result (合格/不合格) to a batch, at the batch's node or the hub.</summary>
    public InspectionDto AddInspection(string batchId, InspectionInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var batch = Guid.TryParse(batchId, out _) ? store.Get(TraceTables.Batches, batchId) : null;
        if (batch is null || batch.Deleted) throw Invalid("batchId", text["Val_BatchUnknown"]);
        if (!MayWrite(batch)) throw new OfficeForbiddenException(text["Val_NotOwnBatch"]);
        var errors = new Dictionary<string, string[]>();
        if (!TryDate(input.InspectedOn, out var on)) errors["inspectedOn"] = [text["Val_DateFormat"]];
        else if (on > DateOnly.FromDateTime(ChinaTime.ToChina(Now).DateTime)) errors["inspectedOn"] = [text["Val_DateFuture"]];
        var agency = input.Agency?.Trim();
        if (string.IsNullOrEmpty(agency)) errors["agency"] = [text["Val_AgencyRequired"]];
        if (input.Result is not (TraceTables.ResultPass or TraceTables.ResultFail)) errors["result"] = [text["Val_ResultUnknown"]];
        if ((agency?.Length ?? 0) > 100 || (input.Items?.Length ?? 0) > 500 || (input.ReportNo?.Length ?? 0) > 50) errors["items"] = [text["Val_TooLong"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        return ToInspection(store.Insert(TraceTables.Inspections, new JsonObject
        {
            ["batch_id"] = batch.Id,
            ["batch_node"] = batch.Origin,
            ["inspected_on"] = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["agency"] = agency,
            ["items"] = input.Items?.Trim() ?? "",
            ["result"] = input.Result,
            ["report_no"] = input.ReportNo?.Trim() ?? "",
            ["recorded_by"] = actor.Username,
            ["recorded_utc"] = BookingTime.Text(Now),
        }));
    }

    /// <summary>A batch's inspection results that count: recorded by the batch's node or the hub; newest first.</summary>
    private List<InspectionDto> Inspections(SyncRow batch)
    {
        using var conn = store.OpenConnection();
        return BookingEngine.Select(conn, null, T(TraceTables.Inspections),
                "WHERE r.batch_id = @b AND r.deleted = 0 AND (r.origin = @node OR r.origin = @hub) ORDER BY r.inspected_on DESC, r.id DESC",
                ("@b", batch.Id), ("@node", batch.Origin), ("@hub", NodeIds.Hub))
            .Select(ToInspection).ToList();
    }

    private static InspectionDto ToInspection(SyncRow r) => new()
    {
        Id = r.Id,
        InspectedOn = r.Text("inspected_on") ?? "",
        Agency = r.Text("agency") ?? "",
        Items = r.Text("items"),
        Result = r.Text("result") ?? "",
        ReportNo = r.Text("report_no"),
        Origin = r.Origin,
    };

    /// <summary>Batches registered here that have no inspection result yet (home page).</summary>
    public int Uninspected()
    {
        using var conn = store.OpenConnection();
        return (int)conn.ScalarLong(
            $"SELECT COUNT(*) FROM {TraceTables.Batches} b WHERE b.deleted = 0 AND b.origin = @me AND b.recalled = 0 AND NOT EXISTS " +
            $"(SELECT 1 FROM {TraceTables.Inspections} i WHERE i.batch_id = b.id AND i.deleted = 0)", null, ("@me", store.NodeId));
    }

    // ---------------------------------------------------------------- public lookup

    /// <summary>What the public page shows for a short code (typed or scanned); null when unknown here.</summary>
    public PublicTraceDto? Lookup(string? code)
    {
        var b = ByCode(code);
        if (b is null) return null;
        var producer = store.Get(TraceTables.Producers, b.ProducerId);
        var township = producer?.Text("township") ?? b.Origin;
        return new PublicTraceDto
        {
            ShortCode = b.ShortCode,
            ProductName = b.ProductName,
            Category = b.Category,
            Gtin = b.Gtin,
            ProducerName = b.ProducerName,
            ProducerKind = producer?.Text("kind") ?? TraceTables.KindFarmer,
            Township = new TownshipDirectory(store).NameOf(township),
            Village = producer?.Text("village"),
            ContactMasked = MaskContact(producer?.Text("contact")),
            BatchNo = b.BatchNo,
            ProducedOn = b.ProducedOn,
            Place = b.Place,
            Quantity = b.Quantity,
            Unit = b.Unit,
            Recalled = b.Recalled,
            RecallReason = b.RecallReason,
            Inspections = b.Inspections,
        };
    }

    /// <summary>138****1234 for a mobile number; otherwise the first character and asterisks.</summary>
    public static string? MaskContact(string? contact)
    {
        if (string.IsNullOrWhiteSpace(contact)) return null;
        var c = contact.Trim();
        var digits = new string(c.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= 7) return digits[..3] + new string('*', digits.Length - 7) + digits[^4..];
        return c[..1] + "**";
    }

    private static bool TryDate(string? s, out DateOnly date) =>
        DateOnly.TryParseExact(s?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
