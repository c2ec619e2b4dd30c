using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Traceability;

/// <summary>
/// The replicated tables of agricultural product traceability. All are public data (scope Everyone): the hub serves the
/// consumer lookup from its own copy, so a lookup never depends on a township link. Only non-personal fields are shown
/// publicly (the producer's contact is masked).
/// </summary>
public static class TraceTables
{
    public const string Producers = "trace_producers";
    public const string Products = "trace_products";
    public const string Batches = "trace_batches";
    public const string Inspections = "trace_inspections";

    /// <summary>Producers (主体): a farmer, cooperative or enterprise registered by its township.</summary>
    public static readonly SyncTable ProducersDefinition = new(
        Producers,
        [
            new SyncColumn("kind", Required: true),
            new SyncColumn("name", Required: true),
            new SyncColumn("township", Required: true),
            new SyncColumn("village"),
            new SyncColumn("contact"),
            new SyncColumn("licence"),
            new SyncColumn("created_by"),
            new SyncColumn("created_utc", Required: true),
        ],
        _ => Scopes.Everyone,
        ["ix_trace_producers_name(name)"]);

    /// <summary>Products of a producer, each with a GTIN-style code (not a GS1-issued number).</summary>
    public static readonly SyncTable ProductsDefinition = new(
        Products,
        [
            new SyncColumn("producer_id", Required: true),
            new SyncColumn("name", Required: true),
            new SyncColumn("category"),
            new SyncColumn("gtin", Required: true),
            new SyncColumn("created_utc", Required: true),
        ],
        _ => Scopes.Everyone,
        ["ix_trace_products_producer(producer_id)", "ix_trace_products_gtin(gtin)"]);

    /// <summary>Batches (lots): the unit a label and its QR code stand for. Recall is a change of the batch row.</summary>
    public static readonly SyncTable BatchesDefinition = new(
        Batches,
        [
            new SyncColumn("product_id", Required: true),
            new SyncColumn("producer_id", Required: true),
            new SyncColumn("batch_no", Required: true),
            new SyncColumn("produced_on", Required: true),
            new SyncColumn("place"),
            new SyncColumn("quantity"),
            new SyncColumn("unit"),
            new SyncColumn("short_code", Required: true),
            new SyncColumn("recalled", SyncColumnType.Integer),
            new SyncColumn("recall_reason"),
            new SyncColumn("created_by"),
            new SyncColumn("created_utc", Required: true),
        ],
        _ => Scopes.Everyone,
        ["ix_trace_batches_code(short_code)", "ix_trace_batches_product(product_id, batch_no)"]);

    /// <summary>Inspection results of a batch, append-only (two nodes may record results offline).</summary>
    public static readonly SyncTable InspectionsDefinition = new(
        Inspections,
        [
            new SyncColumn("batch_id", Required: true),
            new SyncColumn("batch_node", Required: true),
            new SyncColumn("inspected_on", Required: true),
            new SyncColumn("agency", Required: true),
            new SyncColumn("items"),
            new SyncColumn("result", Required: true),
            new SyncColumn("report_no"),
            new SyncColumn("recorded_by"),
            new SyncColumn("recorded_utc", Required: true),
        ],
        _ => Scopes.Everyone,
        ["ix_trace_inspections_batch(batch_id)"]);

    public static IReadOnlyList<SyncTable> All => [ProducersDefinition, ProductsDefinition, BatchesDefinition, InspectionsDefinition];

    public const string KindFarmer = "farmer";
    public const string KindCooperative = "cooperative";
    public const string KindEnterprise = "enterprise";

    public static readonly IReadOnlyList<string> ProducerKinds = [KindFarmer, KindCooperative, KindEnterprise];

    /// <summary>合格 / 不合格.</summary>
    public const string ResultPass = "pass";
    public const string ResultFail = "fail";
}
