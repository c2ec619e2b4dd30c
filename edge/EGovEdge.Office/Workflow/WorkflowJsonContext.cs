using System.Text.Json;
using System.Text.Json.Serialization;

namespace EGovEdge.Office.Workflow;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StepDto))]
[JsonSerializable(typeof(List<StepDto>))]
[JsonSerializable(typeof(IReadOnlyList<StepDto>))]
[JsonSerializable(typeof(WorkflowViewDto))]
[JsonSerializable(typeof(WorkflowActionInput))]
[JsonSerializable(typeof(FileDto))]
[JsonSerializable(typeof(IReadOnlyList<FileDto>))]
[JsonSerializable(typeof(IReadOnlyList<RecipientStatusDto>))]
[JsonSerializable(typeof(IReadOnlyList<InboxItemDto>))]
[JsonSerializable(typeof(List<OrganDto>))]
[JsonSerializable(typeof(SealStatusDto))]
public sealed partial class WorkflowJsonContext : JsonSerializerContext;
