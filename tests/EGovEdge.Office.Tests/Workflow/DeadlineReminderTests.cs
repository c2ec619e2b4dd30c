using System.Text.Json.Nodes;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.Notices;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.Workflow;

/// <summary>
/// 自动催办 of incoming documents on real SQLite stores: one "near" and one "overdue" reminder per document and deadline,
/// written only by the addressee node for its own receipt, with a notice (and for overdue an SMS) to the handler.
/// The world's clock starts at 2026-11-27 09:00 China time; a deadline of 2026-11-30 ends at 2026-11-30T16:00Z.
/// </summary>
public sealed class DeadlineReminderTests : IDisposable
{
    private const string Deadline = "2026-11-30";
    private const string HandlerPhone = "13800000021";
    private static readonly DateTimeOffset DeadlineEnd = new(2026, 11, 30, 16, 0, 0, TimeSpan.Zero);

    private readonly WorkflowWorld _w = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();

    public DeadlineReminderTests()
    {
        AddUser("zhao", "赵强", "malu", HandlerPhone);
        AddUser("zhou", "周平", "hub", "13800000022");
        _w.Sync();
    }

    public void Dispose()
    {
        _services.Dispose();
        _w.Dispose();
    }

    [Fact]
    public void BeforeTheLead_NoReminder()
    {
        var id = AssignedAtMalu(Deadline);

        Assert.Equal(0, Wf("malu").RunDeadlineReminders());
        _w.World.Time.SetUtcNow(DeadlineEnd - TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, Wf("malu").RunDeadlineReminders());

        Assert.Empty(AutoReminders("malu", id));
        Assert.Empty(Notices("malu"));
    }

    [Fact]
    public void InsideTheLead_ExactlyOneNearReminder_AndANoticeToTheHandler_EvenAcrossRestarts()
    {
        var id = AssignedAtMalu(Deadline);
        _w.World.Time.SetUtcNow(DeadlineEnd - TimeSpan.FromHours(7)); // 2026-11-30 17:00 China time

        Assert.Equal(1, Wf("malu").RunDeadlineReminders());
        Assert.Equal(0, Wf("malu").RunDeadlineReminders());
        Assert.Equal(0, Wf("malu").RunDeadlineReminders()); // a new service instance (a restart) finds the step

        var step = Assert.Single(AutoReminders("malu", id));
        Assert.Equal(("system", "malu", "malu"), (step.Actor, step.Node, step.Recipient));
        Assert.Equal("承办期限将至：2026年11月30日", step.Opinion);
        Assert.Equal(("near", Deadline), (Data(step.Data, "auto"), Data(step.Data, "deadline")));
        Assert.Equal(nameof(IncomingState.InHandling), Assert.Single(Wf("malu").Inbox()).State); // 催办 does not change the state

        var notice = Assert.Single(Notices("malu"));
        Assert.Equal(("reminder", "|zhao|", 0L, 0L, id), (notice.Kind, notice.Users, notice.Priority, notice.Sms, notice.SourceId));
        Assert.Equal("催办：《关于做好冬春森林防火工作的通知》承办期限将至", notice.Title);
        Assert.Equal(0, Count("malu", "SELECT COUNT(*) FROM sms_outbox"));
    }

    [Fact]
    public void AfterTheDeadline_OneOverdueReminder_WithAnSmsToTheHandler()
    {
        var id = AssignedAtMalu(Deadline);
        _w.World.Time.SetUtcNow(DeadlineEnd - TimeSpan.FromHours(1));
        Assert.Equal(1, Wf("malu").RunDeadlineReminders());

        _w.World.Time.SetUtcNow(DeadlineEnd);
        Assert.Equal(1, Wf("malu").RunDeadlineReminders());
        _w.World.Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, Wf("malu").RunDeadlineReminders());

        var steps = AutoReminders("malu", id);
        Assert.Equal(["near", "overdue"], steps.Select(s => Data(s.Data, "auto")));
        Assert.Equal("已超过承办期限：2026年11月30日", steps[1].Opinion);
        var overdue = Notices("malu").Single(n => n.Sms == 1);
        Assert.Equal(("|zhao|", 1L, "催办：《关于做好冬春森林防火工作的通知》已超过承办期限"), (overdue.Users, overdue.Priority, overdue.Title));
        using var conn = _w.Store("malu").OpenConnection();
        using var cmd = conn.Command("SELECT phone, username, ref_id, text FROM sms_outbox");
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal((HandlerPhone, "zhao", overdue.Id), (r.GetString(0), r.GetString(1), r.GetString(2)));
        Assert.Contains("已超过承办期限", r.GetString(3), StringComparison.Ordinal);
        Assert.False(r.Read());
    }

    [Fact]
    public void FirstLookAfterTheDeadline_WritesOnlyTheOverdueReminder()
    {
        var id = AssignedAtMalu(Deadline);
        _w.World.Time.SetUtcNow(DeadlineEnd + TimeSpan.FromDays(1));

        Assert.Equal(1, Wf("malu").RunDeadlineReminders());
        Assert.Equal(0, Wf("malu").RunDeadlineReminders());

        Assert.Equal(["overdue"], AutoReminders("malu", id).Select(s => Data(s.Data, "auto")));
    }

    [Fact]
    public void RepliedOrUndatedDocuments_GetNoReminder()
    {
        var replied = AssignedAtMalu(Deadline);
        Wf("malu").Reply(replied, new WorkflowActor("zhao", "赵强", [Roles.Reporter]), "已办结");
        var undated = AssignedAtMalu(null, "关于开展安全生产大检查的通知");
        _w.World.Time.SetUtcNow(DeadlineEnd + TimeSpan.FromDays(2));

        Assert.Equal(0, Wf("malu").RunDeadlineReminders());

        Assert.Empty(AutoReminders("malu", replied));
        Assert.Empty(AutoReminders("malu", undated));
        Assert.Empty(Notices("malu"));
    }

    [Fact]
    public void ANewDeadline_GetsItsOwnReminders_TheOldOneNoMore()
    {
        var id = AssignedAtMalu(Deadline);
        _w.World.Time.SetUtcNow(DeadlineEnd - TimeSpan.FromHours(2));
        Assert.Equal(1, Wf("malu").RunDeadlineReminders());

        Wf("malu").Assign(id, WorkflowWorld.Clerk, "zhao", "2026-12-04", "延期办理");
        Assert.Equal(0, Wf("malu").RunDeadlineReminders()); // the new deadline is not near yet
        _w.World.Time.SetUtcNow(DeadlineEnd + TimeSpan.FromHours(1)); // the old deadline has passed: no overdue for it
        Assert.Equal(0, Wf("malu").RunDeadlineReminders());

        _w.World.Time.SetUtcNow(new DateTimeOffset(2026, 12, 3, 16, 30, 0, TimeSpan.Zero)); // 2026-12-04 00:30 China time
        Assert.Equal(1, Wf("malu").RunDeadlineReminders());
        _w.World.Time.SetUtcNow(new DateTimeOffset(2026, 12, 4, 16, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, Wf("malu").RunDeadlineReminders());
        Assert.Equal(0, Wf("malu").RunDeadlineReminders());

        Assert.Equal(
            [("near", Deadline), ("near", "2026-12-04"), ("overdue", "2026-12-04")],
            AutoReminders("malu", id).Select(s => (Data(s.Data, "auto"), Data(s.Data, "deadline"))));
        Assert.Equal(3, Notices("malu").Count);
    }

    [Fact]
    public void ANodeRemindsOnlyForItsOwnReceipts_AndTheRemindersSyncToTheSender()
    {
        var doc = _w.Draft("guangshun", recipients: ["malu", "hub"]);
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();
        AssignAt("malu", doc.Id, "zhao", Deadline);
        _w.Sync(); // the hub and the sender now hold malu's 承办 with its deadline
        _w.World.Time.SetUtcNow(DeadlineEnd + TimeSpan.FromHours(1));

        Assert.Equal(0, Wf("hub").RunDeadlineReminders()); // the hub is an addressee too, but has not assigned anyone
        Assert.Equal(0, Wf("guangshun").RunDeadlineReminders()); // the sender never reminds on an addressee's behalf
        Assert.Equal(1, Wf("malu").RunDeadlineReminders());
        _w.Sync();

        foreach (var node in new[] { "hub", "guangshun", "malu" })
        {
            var step = Assert.Single(AutoReminders(node, doc.Id));
            Assert.Equal(("malu", "malu", "system"), (step.Node, step.Recipient, step.Actor));
        }
        Assert.Empty(Notices("hub"));
        Assert.Empty(Notices("guangshun"));
        Assert.Single(Notices("malu"));

        // The hub's own receipt: only the hub reminds, for itself.
        AssignAt("hub", doc.Id, "zhou", Deadline);
        Assert.Equal(1, Wf("hub").RunDeadlineReminders());
        Assert.Equal(0, Wf("malu").RunDeadlineReminders());
        _w.Sync();
        Assert.Equal(0, Wf("malu").RunDeadlineReminders());
        Assert.Equal(["malu", "hub"], AutoReminders("hub", doc.Id).Select(s => s.Recipient));
        Assert.Equal("|zhou|", Assert.Single(Notices("hub")).Users);
    }

    [Fact]
    public void AForgedSystemReminderForAnotherTownshipsReceipt_IsRefusedByTheHub()
    {
        var doc = _w.Draft("hub", recipients: ["malu", "guangshun"]);
        _w.ToDispatched("hub", doc.Id);
        _w.Sync();
        AssignAt("malu", doc.Id, "zhao", Deadline);
        _w.Sync();

        // guangshun writes a "system" 催办 for malu's receipt straight into its database, bypassing the service.
        var gs = _w.Store("guangshun");
        var docRow = gs.Get("documents", doc.Id)!;
        gs.Transact(w => WorkflowService.AppendStep(w, docRow, StepKinds.Remind, WorkflowActor.System, "malu", "伪造",
            new JsonObject { ["auto"] = "overdue", ["deadline"] = Deadline }.ToJsonString(), "2026-11-27T01:00:00.0000000Z"));
        _w.Sync();

        Assert.Empty(AutoReminders("hub", doc.Id));
        Assert.Empty(AutoReminders("malu", doc.Id));
    }

    [Fact]
    public async Task TheHostedService_RunsARoundOnStart_AndTheModuleBindsItsOptions()
    {
        var id = AssignedAtMalu(Deadline);
        _w.World.Time.SetUtcNow(DeadlineEnd - TimeSpan.FromHours(3));
        using var service = new DocumentReminderService(Wf("malu"), _w.World.Time, Options.Create(new DocumentReminderOptions()),
            NullLogger<DocumentReminderService>.Instance);

        await service.StartAsync(CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (AutoReminders("malu", id).Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        await service.StopAsync(CancellationToken.None);
        Assert.Single(AutoReminders("malu", id));

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EGov:Documents:ReminderCheckMinutes"] = "3", ["EGov:Documents:ReminderLeadHours"] = "48" })
            .Build());
        new WorkflowModule().AddServices(services);
        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(DocumentReminderService));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<DocumentReminderOptions>>().Value;
        Assert.Equal((TimeSpan.FromMinutes(3), TimeSpan.FromHours(48)), (options.CheckInterval, options.Lead));
        Assert.Equal((10, 24), (new DocumentReminderOptions().ReminderCheckMinutes, new DocumentReminderOptions().ReminderLeadHours));
    }

    // ---------------------------------------------------------------- helpers

    private WorkflowService Wf(string node)
    {
        var store = _w.Store(node);
        var notices = new NoticeService(store, new SmsOutbox(store, new ScriptedGateway(), _w.World.Time), _w.World.Time,
            _services.GetRequiredService<IStringLocalizer<NoticeText>>());
        return new WorkflowService(store, _w.World.Time, _w.Text, new OrganDirectory(store), _w.Renderer, _w.Seals, notices,
            Options.Create(new DocumentReminderOptions()));
    }

    /// <summary>A document from 广顺镇 dispatched to 马路乡, signed for, registered, checked (初审) and assigned to zhao there.</summary>
    private string AssignedAtMalu(string? deadline, string title = "关于做好冬春森林防火工作的通知")
    {
        var doc = _w.Draft("guangshun", title);
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();
        AssignAt("malu", doc.Id, "zhao", deadline);
        return doc.Id;
    }

    private void AssignAt(string node, string id, string handler, string? deadline)
    {
        var wf = Wf(node);
        wf.SignFor(id, WorkflowWorld.Clerk);
        wf.RegisterIncoming(id, WorkflowWorld.Clerk);
        wf.Screen(id, WorkflowWorld.Clerk, true, null);
        wf.Assign(id, WorkflowWorld.Clerk, handler, deadline);
    }

    private List<StepDto> AutoReminders(string node, string id) =>
        Wf(node).Steps(id).Where(s => s.Kind == StepKinds.Remind && Data(s.Data, "auto") is not null).ToList();

    private static string? Data(string? data, string key) =>
        data is not null && JsonNode.Parse(data) is JsonObject o && o[key] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private sealed record NoticeRow(string Id, string Kind, string Title, string Users, long Priority, long Sms, string? SourceId);

    /// <summary>The notices <paramref name="node"/> itself sent (the hub also holds every township's).</summary>
    private List<NoticeRow> Notices(string node)
    {
        var list = new List<NoticeRow>();
        using var conn = _w.Store(node).OpenConnection();
        using var cmd = conn.Command("SELECT id, kind, title, users, priority, sms, source_id FROM notices WHERE deleted = 0 AND origin = @n ORDER BY hlc",
            null, ("@n", node));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new NoticeRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5),
                r.IsDBNull(6) ? null : r.GetString(6)));
        }
        return list;
    }

    private long Count(string node, string sql)
    {
        using var conn = _w.Store(node).OpenConnection();
        return conn.ScalarLong(sql);
    }

    private void AddUser(string username, string name, string unit, string phone) =>
        _w.World.Hub.Insert(UsersTable.Name, new JsonObject
        {
            ["username"] = username, ["display_name"] = name, ["unit"] = unit, ["roles"] = UsersTable.EncodeRoles([Roles.Reporter]),
            ["password_hash"] = "x", ["security_stamp"] = "s", ["phone"] = phone,
        });
}
