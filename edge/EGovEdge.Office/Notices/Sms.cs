using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using EGovEdge.Office.Hosting;

namespace EGovEdge.Office.Notices;

/// <summary>One SMS handed to a gateway. <paramref name="Id"/> is the outbox row id: a client message id the gateway can deduplicate on.</summary>
public sealed record SmsMessage(string Id, string Phone, string Text, string Purpose, int Priority);

/// <summary>
/// A gateway's answer. <paramref name="Accepted"/>: the message left our hands (<paramref name="Status"/> is
/// <see cref="SmsStatus.Sent"/>, or <see cref="SmsStatus.Logged"/> for the log-file gateway); otherwise
/// <paramref name="Permanent"/> says whether retrying is pointless (bad number, rejected template).
/// </summary>
public sealed record SmsSendResult(bool Accepted, string Status, string? ProviderId = null, string? Error = null, bool Permanent = false)
{
    public static SmsSendResult Sent(string? providerId) => new(true, SmsStatus.Sent, providerId);

    public static SmsSendResult Logged(string? reference) => new(true, SmsStatus.Logged, reference);

    public static SmsSendResult Transient(string error) => new(false, SmsStatus.Queued, null, error);

    public static SmsSendResult Rejected(string error) => new(false, SmsStatus.Failed, null, error, Permanent: true);
}

/// <summary>Hands SMS to a carrier (Aliyun, Tencent Cloud, a CMPP gateway...). Register another implementation to replace the log file.</summary>
public interface ISmsGateway
{
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

/// <summary>Outbox settings (EGov:Sms).</summary>
public sealed class SmsOptions
{
    /// <summary>Tries before a message is marked failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait after the first failure; doubles with each further failure (with ±20 % jitter).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the dispatcher looks for due messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>One gateway call's time limit.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = 50;
}

/// <summary>
/// The default gateway: sends nothing. It appends each message as one JSON line to <c>DataDir/sms/outbox.log</c>
/// and answers <see cref="SmsStatus.Logged"/>, never "sent" or "delivered".
/// </summary>
public sealed class LogFileSmsGateway(NodeEnvironment env, TimeProvider time) : ISmsGateway
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
    private static readonly UTF8Encoding NoBom = new(false);
    private readonly Lock _lock = new();

    public string LogPath => Path.Combine(env.Dir("sms"), "outbox.log");

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("time", time.GetUtcNow().UtcDateTime);
            w.WriteString("node", env.NodeId);
            w.WriteString("id", message.Id);
            w.WriteString("phone", message.Phone);
            w.WriteString("purpose", message.Purpose);
            w.WriteNumber("priority", message.Priority);
            w.WriteString("text", message.Text);
            w.WriteString("status", SmsStatus.Logged);
            w.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            lock (_lock) File.AppendAllText(LogPath, line, NoBom);
        }
        catch (IOException ex)
        {
            return Task.FromResult(SmsSendResult.Transient("log file: " + ex.Message));
        }
        return Task.FromResult(SmsSendResult.Logged("log:" + message.Id));
    }
}
