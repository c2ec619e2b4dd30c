using System.Security.Claims;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Tests.Traceability;
using EGovEdge.Office.Traceability;
using EGovEdge.Office.Training;
using EGovEdge.Sync;

namespace EGovEdge.Office.Tests.Training;

/// <summary>The home-page counts of the Training and Traceability modules.</summary>
public sealed class TrainingWorkSourceTests : IDisposable
{
    private readonly TraceWorld _w = new();

    public void Dispose() => _w.Dispose();

    private static ClaimsPrincipal User(string name, string unit, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(StaffClaims.Unit, unit), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    [Fact]
    public void Counts_ExamsToTake_RetrainingInTheUnit_AndBatchesWithoutResults()
    {
        var hub = _w.Training(_w.World.Hub);
        var exam = hub.CreateExam(new ExamInput
        {
            Title = "中考", Period = "2026-H2", TimeLimitMinutes = 5, PassMark = 60,
            Questions = [new() { Kind = TrainingTables.QuestionTrueFalse, Text = "半年一次中考", Answer = [0] }],
        }, TraceWorld.Staff("admin", NodeIds.Hub));
        var li = TraceWorld.Staff("li", "hub");
        hub.Submit(hub.Start(exam.Id, li).Id, new SubmitInput { Answers = [[1]] }, li);

        var training = new TrainingWorkSource(hub, _w.TrainingText);
        var clerk = training.For(User("wu", "hub", Roles.Clerk)).ToDictionary(i => i.Key, i => i.Count);
        Assert.Equal(1, clerk["training.exams"]);
        Assert.Equal(1, clerk["training.retrain"]);
        var reporter = training.For(User("li", "hub", Roles.Reporter)).ToDictionary(i => i.Key, i => i.Count);
        Assert.Equal(1, reporter["training.exams"]); // failed: still to pass
        Assert.False(reporter.ContainsKey("training.retrain"));

        _w.RegisterSample(_w.World.Hub);
        var trace = new TraceWorkSource(_w.Trace(_w.World.Hub), _w.TraceText);
        Assert.Equal(1, Assert.Single(trace.For(User("wu", "hub", Roles.Clerk))).Count);
        Assert.Empty(trace.For(User("li", "hub", Roles.Reporter)));
    }
}
