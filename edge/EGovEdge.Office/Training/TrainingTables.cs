using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Training;

/// <summary>
/// The replicated tables of training and exams. All are county-wide (scope Everyone): results are published to every
/// unit ("考核成绩进行全县通报"), and an edge needs the exams with their answer keys to mark an attempt offline.
/// Attendance and attempts are append-only, because two nodes may record them offline.
/// </summary>
public static class TrainingTables
{
    public const string Sessions = "train_sessions";
    public const string Attendance = "train_attendance";
    public const string Exams = "train_exams";
    public const string Attempts = "train_attempts";

    public static readonly SyncTable SessionsDefinition = new(
        Sessions,
        [
            new SyncColumn("title", Required: true),
            new SyncColumn("kind", Required: true),
            new SyncColumn("trainer"),
            new SyncColumn("day", Required: true),
            new SyncColumn("place"),
            new SyncColumn("units"),
            new SyncColumn("capacity", SyncColumnType.Integer),
            new SyncColumn("retraining", SyncColumnType.Integer),
            new SyncColumn("created_by"),
            new SyncColumn("created_utc", Required: true),
        ],
        _ => Scopes.Everyone,
        ["ix_train_sessions_day(day)"]);

    public static readonly SyncTable AttendanceDefinition = new(
        Attendance,
        [
            new SyncColumn("session_id", Required: true),
            new SyncColumn("username", Required: true),
            new SyncColumn("unit"),
            new SyncColumn("signed_utc", Required: true),
            new SyncColumn("recorded_by"),
        ],
        _ => Scopes.Everyone,
        ["ix_train_attendance_session(session_id)"]);

    public static readonly SyncTable ExamsDefinition = new(
        Exams,
        [
            new SyncColumn("title", Required: true),
            new SyncColumn("period", Required: true),
            new SyncColumn("time_limit_min", SyncColumnType.Integer, Required: true),
            new SyncColumn("pass_mark", SyncColumnType.Integer, Required: true),
            new SyncColumn("questions", Required: true),
            new SyncColumn("publish_utc"),
            new SyncColumn("created_by"),
            new SyncColumn("created_utc", Required: true),
        ],
        _ => Scopes.Everyone,
        ["ix_train_exams_period(period)"]);

    /// <summary>
    /// One row when an attempt starts (phase "start": started and deadline) and one when it is handed in (phase
    /// "submit": attempt_id = the start row, answers, score, passed). Never changed afterwards.
    /// </summary>
    public static readonly SyncTable AttemptsDefinition = new(
        Attempts,
        [
            new SyncColumn("exam_id", Required: true),
            new SyncColumn("phase", Required: true),
            new SyncColumn("attempt_id"),
            new SyncColumn("username", Required: true),
            new SyncColumn("unit"),
            new SyncColumn("started_utc", Required: true),
            new SyncColumn("deadline_utc"),
            new SyncColumn("submitted_utc"),
            new SyncColumn("answers"),
            new SyncColumn("score", SyncColumnType.Integer),
            new SyncColumn("passed", SyncColumnType.Integer),
        ],
        _ => Scopes.Everyone,
        ["ix_train_attempts_exam(exam_id, username)", "ix_train_attempts_user(username)"]);

    public static IReadOnlyList<SyncTable> All => [SessionsDefinition, AttendanceDefinition, ExamsDefinition, AttemptsDefinition];

    /// <summary>集中培训 / 跟踪培训 (the county's "二级培训").</summary>
    public const string KindConcentrated = "concentrated";
    public const string KindFollowUp = "follow_up";

    public const string PhaseStart = "start";
    public const string PhaseSubmit = "submit";

    public const string QuestionSingle = "single";
    public const string QuestionMulti = "multi";
    public const string QuestionTrueFalse = "tf";
}
