using System.Text.Json;
using System.Text.Json.Serialization;
using EGovEdge.Office.Documents;

namespace EGovEdge.Office.Api;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DocumentDto))]
[JsonSerializable(typeof(DocumentInput))]
[JsonSerializable(typeof(DocumentUpdate))]
[JsonSerializable(typeof(DocumentPage))]
public sealed partial class OfficeJsonContext : JsonSerializerContext;
