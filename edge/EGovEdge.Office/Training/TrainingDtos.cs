using System.Text.Json;
using System.Text.Json.Serialization;

namespace EGovEdge.Office.Training;

public sealed class SessionInput
{
    public string? Title { get; set; }

    /// <summary>"concentrated" (集中培训) or "follow_up" (跟踪培训).</summary>
    public string? Kind { get; set; }
    public string? Trainer { get; set; }

    /// <summary>yyyy-MM-dd (China date).</summary>
    public string? Day { get; set; }
    public string? Place { get; set; }

    /// <summary>Unit codes (townships or "hub"); empty: county-wide.</summary>
    public List<string>? Units { get; set; }
    public int? Capacity { get; set; }

    /// <summary>A re-training class (重新跟班学习) for those who failed.</summary>
    public bool Retraining { get; set; }
}

public sealed class SessionDto
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Kind { get; init; }
    public string? Trainer { get; init; }
    public required string Day { get; init; }
    public string? Place { get; init; }
    public IReadOnlyList<string> Units { get; init; } = [];
    public int Capacity { get; init; }
    public bool Retraining { get; init; }
    public int Attendees { get; init; }
    public bool SignedIn { get; init; }
    public required string Origin { get; init; }
}

public sealed class AttendanceDto
{
    public required string Username { get; init; }
    public string? Unit { get; init; }
    public DateTimeOffset Signed { get; init; }
}

public sealed class SignInInput
{
    /// <summary>Empty: the caller signs in; an organiser may sign in someone else.</summary>
    public string? Username { get; set; }
    public string? Unit { get; set; }
}

public sealed class Question
{
    /// <summary>"single", "multi" or "tf" (true/false: option 0 = 正确, 1 = 错误).</summary>
    public string Kind { get; set; } = TrainingTables.QuestionSingle;
    public string Text { get; set; } = "";
    public List<string> Options { get; set; } = [];

    /// <summary>Indexes of the correct options.</summary>
    public List<int> Answer { get; set; } = [];
}

/// <summary>A question as a candidate sees it: no answer key.</summary>
public sealed class QuestionView
{
    public required int Index { get; init; }
    public required string Kind { get; init; }
    public required string Text { get; init; }
    public IReadOnlyList<string> Options { get; init; } = [];
}

public sealed class ExamInput
{
    public string? Title { get; set; }

    /// <summary>"2026-Q4" (quarterly 小考) or "2026-H2" (half-yearly 中考).</summary>
    public string? Period { get; set; }
    public int? TimeLimitMinutes { get; set; }
    public int? PassMark { get; set; }
    public List<Question>? Questions { get; set; }

    /// <summary>When results become visible (release date); null: at once.</summary>
    public DateTimeOffset? PublishAt { get; set; }
}

public sealed class ExamDto
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Period { get; init; }
    public int TimeLimitMinutes { get; init; }
    public int PassMark { get; init; }
    public int QuestionCount { get; init; }
    public DateTimeOffset? PublishAt { get; init; }
    public required string Origin { get; init; }

    /// <summary>For the caller: none, open, passed, failed.</summary>
    public string MyStatus { get; init; } = "none";
    public int? MyBestScore { get; init; }
}

public sealed class AttemptDto
{
    public required string Id { get; init; }
    public required string ExamId { get; init; }
    public required string Username { get; init; }
    public string? Unit { get; init; }
    public DateTimeOffset Started { get; init; }
    public DateTimeOffset Deadline { get; init; }
    public DateTimeOffset? Submitted { get; init; }
    public int? Score { get; init; }
    public bool Passed { get; init; }

    /// <summary>open, submitted, expired (not handed in within the limit: scored 0, failed).</summary>
    public required string State { get; init; }

    public IReadOnlyList<QuestionView> Questions { get; init; } = [];
}

public sealed class SubmitInput
{
    /// <summary>One list of chosen option indexes per question, in question order.</summary>
    public List<List<int>>? Answers { get; set; }
}

public sealed class UnitResultDto
{
    public required string Period { get; init; }
    public required string Unit { get; init; }
    public int Examined { get; init; }
    public int Passed { get; init; }
    public double PassRate { get; init; }
    public double Average { get; init; }
}

public sealed class RetrainingDto
{
    public required string Username { get; init; }
    public string? Unit { get; init; }
    public required string Period { get; init; }
    public int BestScore { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SessionInput))]
[JsonSerializable(typeof(SignInInput))]
[JsonSerializable(typeof(ExamInput))]
[JsonSerializable(typeof(SubmitInput))]
[JsonSerializable(typeof(List<SessionDto>))]
[JsonSerializable(typeof(SessionDto))]
[JsonSerializable(typeof(List<AttendanceDto>))]
[JsonSerializable(typeof(AttendanceDto))]
[JsonSerializable(typeof(List<ExamDto>))]
[JsonSerializable(typeof(ExamDto))]
[JsonSerializable(typeof(AttemptDto))]
[JsonSerializable(typeof(List<UnitResultDto>))]
[JsonSerializable(typeof(List<RetrainingDto>))]
[JsonSerializable(typeof(List<Question>))]
[JsonSerializable(typeof(List<List<int>>))]
public sealed partial class TrainingJsonContext : JsonSerializerContext;
