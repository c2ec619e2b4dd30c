using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EGovEdge.Office.Documents;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Notices;

/// <summary>
/// The SMS outbox. Messages are queued in the writer's transaction; the dispatcher hands this node's due messages to
/// the <see cref="ISmsGateway"/>. State lives in the row, so retries survive restarts: each try is recorded
/// (<c>sending</c>, attempts + 1, a lease until the next try) before the gateway is called; a failure waits
/// <see cref="SmsOptions.BaseDelay"/> × 2^(attempts-1) (±20 % jitter, at most <see cref="SmsOptions.MaxDelay"/>), and after
/// <see cref="SmsOptions.MaxAttempts"/> tries the message is <c>failed</c>. A message the gateway accepted is never handed over again.
/// </summary>
public sealed partial class SmsOutbox
{
    private readonly ILocalStore _store;
    private readonly ISmsGateway _gateway;
    private readonly TimeProvider _time;
    private readonly SmsOptions _options;
    private readonly ILogger _log;
    private readonly Func<double> _random;

    public SmsOutbox(ILocalStore store, ISmsGateway gateway, TimeProvider time, IOptions<SmsOptions>? options = null,
        ILogger<SmsOutbox>? log = null, Func<double>? random = null)
    {
        _store = store;
        _gateway = gateway;
        _time = time;
        _options = options?.Value ?? new SmsOptions();
        _log = log ?? NullLogger<SmsOutbox>.Instance;
        _random = random ?? Random.Shared.NextDouble;
    }

    public SmsOptions Options => _options;

    /// <summary>Mainland China mobile number: 11 digits, 1[3-9]xxxxxxxxx.</summary>
    public static bool IsMobile(string? phone) => phone is not null && MobilePattern().IsMatch(phone);

    /// <summary>Queues one message inside the caller's transaction; it is sent from <paramref name="notBefore"/> (or now).</summary>
    public string Queue(ILocalWrite write, string phone, string text, string purpose, string? refId, string? username, int priority = 0,
        DateTimeOffset? notBefore = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!IsMobile(phone)) throw new OfficeValidationException(new Dictionary<string, string[]> { ["phone"] = ["not a mainland mobile number"] });
        var now = _time.GetUtcNow();
        var row = write.Insert(SmsOutboxTable.Name, new JsonObject
        {
            ["phone"] = phone,
            ["text"] = text,
            ["purpose"] = purpose,
            ["ref_id"] = refId,
            ["username"] = username,
            ["status"] = SmsStatus.Queued,
            ["attempts"] = 0L,
            ["next_attempt_utc"] = NoticeService.Iso(notBefore is { } nb && nb > now ? nb : now),
            ["created_utc"] = NoticeService.Iso(now),
            ["priority"] = (long)priority,
        });
        return row.Id;
    }

    /// <summary>The wait after the given number of failed tries: base × 2^(n-1), capped, with ±20 % jitter.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var exp = Math.Min(Math.Max(attempts, 1) - 1, 20);
        var ms = Math.Min(_options.BaseDelay.TotalMilliseconds * Math.Pow(2, exp), _options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + 0.4 * _random()));
    }

    /// <summary>Sends this node's due messages once; returns how many were handed to the gateway.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var due = new List<string>();
        using (var conn = _store.OpenConnection())
        using (var cmd = conn.Command(
                   "SELECT id FROM sms_outbox WHERE deleted = 0 AND origin = @me AND status IN ('queued', 'sending') AND next_attempt_utc <= @now " +
                   "ORDER BY priority DESC, next_attempt_utc, id LIMIT @n", null,
                   ("@me", _store.NodeId), ("@now", NoticeService.Iso(now)), ("@n", (long)_options.BatchSize)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) due.Add(r.GetString(0));
        }
        var handed = 0;
        using var actor = AuditActor.Use("sms-dispatcher");
        foreach (var id in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Claim(id) is not { } claimed) continue;
            handed++;
            var message = new SmsMessage(claimed.Id, claimed.Text("phone")!, claimed.Text("text") ?? "", claimed.Text("purpose") ?? "",
                (int)(claimed.Integer("priority") ?? 0));
            var attempts = (int)(claimed.Integer("attempts") ?? 1);
            SmsSendResult result;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.SendTimeout);
                try
                {
                    result = await _gateway.SendAsync(message, timeout.Token);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw; // shutting down: the lease expires and the message is tried again after the restart
                }
#pragma warning disable CA1031 // A gateway's failure of any kind is a failed try, recorded on the message; it must not stop the outbox.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    result = SmsSendResult.Transient(ex.GetType().Name + ": " + ex.Message);
                }
            }
            Record(id, attempts, result);
        }
        return handed;
    }

    /// <summary>Marks a due message as being sent (attempts + 1, leased until the next try); null when it is no longer due.</summary>
    private SyncRow? Claim(string id) => _store.Transact(w =>
    {
        var row = w.Get(SmsOutboxTable.Name, id);
        var now = _time.GetUtcNow();
        if (row is null || row.Deleted || row.Origin != _store.NodeId) return null;
        if (row.Text("status") is not (SmsStatus.Queued or SmsStatus.Sending)) return null;
        if (NoticeService.ParseUtc(row.Text("next_attempt_utc")) is { } next && next > now) return null;
        var attempts = (int)(row.Integer("attempts") ?? 0);
        if (attempts >= _options.MaxAttempts)
        {
            // A try whose outcome was never recorded (the node stopped mid-send) was the last one.
            w.Update(SmsOutboxTable.Name, id, new JsonObject { ["status"] = SmsStatus.Failed, ["next_attempt_utc"] = null });
            return null;
        }
        attempts++;
        var lease = Backoff(attempts) + _options.SendTimeout;
        return w.Update(SmsOutboxTable.Name, id, new JsonObject
        {
            ["status"] = SmsStatus.Sending,
            ["attempts"] = (long)attempts,
            ["next_attempt_utc"] = NoticeService.Iso(now + lease),
        });
    });

    private void Record(string id, int attempts, SmsSendResult result)
    {
        var now = _time.GetUtcNow();
        JsonObject changes;
        if (result.Accepted)
        {
            changes = new JsonObject
            {
                ["status"] = result.Status == SmsStatus.Logged ? SmsStatus.Logged : SmsStatus.Sent,
                ["provider_id"] = result.ProviderId,
                ["sent_utc"] = NoticeService.Iso(now),
                ["next_attempt_utc"] = null,
                ["last_error"] = null,
            };
        }
        else if (result.Permanent || attempts >= _options.MaxAttempts)
        {
            changes = new JsonObject { ["status"] = SmsStatus.Failed, ["next_attempt_utc"] = null, ["last_error"] = Trim(result.Error) };
            LogFailed(_log, id, attempts, result.Error);
        }
        else
        {
            changes = new JsonObject
            {
                ["status"] = SmsStatus.Queued,
                ["next_attempt_utc"] = NoticeService.Iso(now + Backoff(attempts)),
                ["last_error"] = Trim(result.Error),
            };
        }
        _store.Transact(w =>
        {
            // Only the try that holds the lease records its outcome.
            var row = w.Get(SmsOutboxTable.Name, id);
            if (row is null || row.Text("status") != SmsStatus.Sending || row.Integer("attempts") != attempts) return false;
            w.Update(SmsOutboxTable.Name, id, changes);
            return true;
        });
    }

    /// <summary>A carrier's delivery receipt for a sent message; false when unknown or not awaiting one.</summary>
    public bool ReportDelivery(string id, SmsDeliveryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!Guid.TryParse(id, out _)) return false;
        return _store.Transact(w =>
        {
            var row = w.Get(SmsOutboxTable.Name, id);
            if (row is null || row.Deleted || row.Origin != _store.NodeId || row.Text("status") != SmsStatus.Sent) return false;
            w.Update(SmsOutboxTable.Name, id, report.Delivered
                ? new JsonObject { ["status"] = SmsStatus.Delivered, ["delivered_utc"] = NoticeService.Iso(_time.GetUtcNow()) }
                : new JsonObject { ["status"] = SmsStatus.Failed, ["last_error"] = Trim("carrier: " + (report.Code ?? "UNDELIV")) });
            return true;
        });
    }

    /// <summary>Counts per status and the latest messages (the hub sees every node's; a township its own).</summary>
    public SmsOutboxDto List(string? status = null, int limit = 100)
    {
        limit = Math.Clamp(limit, 1, 500);
        using var conn = _store.OpenConnection();
        var counts = SmsStatus.All.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        using (var cmd = conn.Command("SELECT status, COUNT(*) FROM sms_outbox WHERE deleted = 0 GROUP BY status"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) counts[r.GetString(0)] = r.LongOrZero(1);
        }
        var where = string.IsNullOrEmpty(status) ? "deleted = 0" : "deleted = 0 AND status = @s";
        (string, object?)[] args = string.IsNullOrEmpty(status) ? [("@n", (long)limit)] : [("@s", status), ("@n", (long)limit)];
        var items = new List<SmsDto>();
        var t = SmsOutboxTable.Definition;
        using (var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM sms_outbox WHERE {where} ORDER BY created_utc DESC, id DESC LIMIT @n", null, args))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) items.Add(ToDto(RowIo.ReadRow(t, r)));
        }
        return new SmsOutboxDto { Counts = counts, Items = items };
    }

    public SmsDto? Get(string id) =>
        Guid.TryParse(id, out _) && _store.Get(SmsOutboxTable.Name, id) is { Deleted: false } row ? ToDto(row) : null;

    private static SmsDto ToDto(SyncRow row) => new()
    {
        Id = row.Id,
        Phone = row.Text("phone") ?? "",
        Text = row.Text("text") ?? "",
        Purpose = row.Text("purpose") ?? "",
        RefId = row.Text("ref_id"),
        Username = row.Text("username"),
        Status = row.Text("status") ?? SmsStatus.Queued,
        Attempts = (int)(row.Integer("attempts") ?? 0),
        NextAttemptUtc = NoticeService.ParseUtc(row.Text("next_attempt_utc")),
        LastError = row.Text("last_error"),
        ProviderId = row.Text("provider_id"),
        CreatedUtc = NoticeService.ParseUtc(row.Text("created_utc")) ?? DateTimeOffset.MinValue,
        SentUtc = NoticeService.ParseUtc(row.Text("sent_utc")),
        DeliveredUtc = NoticeService.ParseUtc(row.Text("delivered_utc")),
        OriginNode = row.Origin,
    };

    private static string? Trim(string? s) => s is null ? null : s.Length <= 500 ? s : s[..500];

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {Id} failed after {Attempts} tries: {Error}")]
    private static partial void LogFailed(ILogger logger, string id, int attempts, string? error);
}
