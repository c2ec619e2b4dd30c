using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>Sends a protocol object through its JSON form, as the HTTP transport would.</summary>
internal static class Wire
{
    public static T RoundTrip<T>(T value, JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, info), info)!;
}
