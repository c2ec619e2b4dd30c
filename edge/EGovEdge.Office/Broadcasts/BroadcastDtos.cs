namespace EGovEdge.Office.Broadcasts;

public sealed class SubscriberDto
{
    public required string Id { get; init; }
    public required string Phone { get; init; }
    public string? Name { get; init; }
    public required string Township { get; init; }
    public string? Village { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public required string Status { get; init; }
    public bool Confirmed { get; init; }

    /// <summary>portal (self-service, confirmed by SMS code) or staff (registered by a clerk).</summary>
    public string? Channel { get; init; }

    public string? RegisteredBy { get; init; }
    public required string OriginNode { get; init; }
    public DateTimeOffset CreatedUtc { get; init; }
}

/// <summary>A clerk registers a resident (in person): active at once. Township is forced to the clerk's node at an edge.</summary>
public sealed class SubscriberInput
{
    public string? Phone { get; set; }
    public string? Name { get; set; }
    public string? Township { get; set; }
    public string? Village { get; set; }
    public List<string>? Topics { get; set; }
}

/// <summary>POST /api/broadcasts. Township: "*" (county-wide, hub only) or a code; a township node always sends to its own.</summary>
public sealed class BroadcastInput
{
    public string? Topic { get; set; }
    public string? Township { get; set; }
    public string? Village { get; set; }
    public string? Text { get; set; }
}

public sealed class BroadcastDto
{
    public required string Id { get; init; }
    public required string Topic { get; init; }
    public required string Township { get; init; }
    public string? Village { get; init; }
    public required string Text { get; init; }
    public required string Publisher { get; init; }
    public required string OriginNode { get; init; }
    public DateTimeOffset PublishedUtc { get; init; }

    /// <summary>Subscribers it was addressed to (distinct phones) when published.</summary>
    public int Recipients { get; init; }

    /// <summary>From this node's copy of the outbox (the hub sees every node's; a township its own).</summary>
    public BroadcastCounts Counts { get; init; } = new();
}

/// <summary>Delivery per broadcast, from <c>sms_outbox</c> rows with purpose "broadcast" and this broadcast's id.</summary>
public sealed class BroadcastCounts
{
    public int Queued { get; init; }

    /// <summary>Handed to the carrier (sent) or written to the log by the default gateway (logged).</summary>
    public int Sent { get; init; }

    public int Delivered { get; init; }
    public int Failed { get; init; }
    public int Total => Queued + Sent + Delivered + Failed;
}

public sealed class BroadcastPage
{
    public required IReadOnlyList<BroadcastDto> Items { get; init; }
}

public sealed class SubscriberPage
{
    public required IReadOnlyList<SubscriberDto> Items { get; init; }
    public int Active { get; init; }
}
