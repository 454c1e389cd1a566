using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace BackOffice.Testing.Telemetry;

/// <summary>A span as a collector receives it: ids as lower-case hex, attribute values as text.</summary>
public sealed record ExportedSpan(
    IReadOnlyDictionary<string, string> Resource,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyDictionary<string, string> Attributes)
{
    public const int KindProducer = 4;
    public const int KindConsumer = 5;

    public string? ServiceName => Resource.GetValueOrDefault("service.name");

    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>
/// Reads an OTLP <c>ExportTraceServiceRequest</c> (opentelemetry-proto, trace/v1 and common/v1) straight from the
/// protobuf wire format: only the fields a test looks at, everything else skipped by its wire type. Written out because
/// the exporter serialises without Google.Protobuf and the test should see exactly the bytes a collector gets.
/// </summary>
public static class OtlpTraceDecoder
{
    public static IReadOnlyList<ExportedSpan> Decode(byte[] body)
    {
        var spans = new List<ExportedSpan>();
        foreach (var (field, resourceSpans) in Fields(body))
        {
            if (field != 1)
            {
                continue; // ExportTraceServiceRequest.resource_spans = 1
            }
            var resource = new Dictionary<string, string>();
            var scopes = new List<ReadOnlyMemory<byte>>();
            foreach (var (f, value) in Fields(resourceSpans.Bytes))
            {
                if (f == 1)
                {
                    // ResourceSpans.resource = 1; Resource.attributes = 1
                    foreach (var (attribute, kv) in Fields(value.Bytes))
                    {
                        if (attribute == 1)
                        {
                            AddAttribute(resource, kv.Bytes);
                        }
                    }
                }
                else if (f == 2)
                {
                    scopes.Add(value.Bytes); // ResourceSpans.scope_spans = 2
                }
            }
            foreach (var scopeSpans in scopes)
            {
                var scope = "";
                foreach (var (f, value) in Fields(scopeSpans))
                {
                    if (f == 1)
                    {
                        scope = Fields(value.Bytes).Where(s => s.Field == 1).Select(s => s.Value.Text).FirstOrDefault() ?? "";
                    }
                    else if (f == 2)
                    {
                        spans.Add(ReadSpan(resource, scope, value.Bytes));
                    }
                }
            }
        }
        return spans;
    }

    private static ExportedSpan ReadSpan(Dictionary<string, string> resource, string scope, ReadOnlyMemory<byte> span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        var attributes = new Dictionary<string, string>();
        foreach (var (field, value) in Fields(span))
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(value.Bytes.Span); break;
                case 2: spanId = Convert.ToHexStringLower(value.Bytes.Span); break;
                case 4: parent = Convert.ToHexStringLower(value.Bytes.Span); break;
                case 5: name = value.Text; break;
                case 6: kind = (int)value.Number; break;
                case 9: AddAttribute(attributes, value.Bytes); break;
            }
        }
        return new ExportedSpan(resource, scope, traceId, spanId, parent, name, kind, attributes);
    }

    /// <summary>KeyValue { key = 1; AnyValue value = 2 }; AnyValue { string 1, bool 2, int 3, double 4, … }.</summary>
    private static void AddAttribute(Dictionary<string, string> into, ReadOnlyMemory<byte> keyValue)
    {
        var key = "";
        var text = "";
        foreach (var (field, value) in Fields(keyValue))
        {
            if (field == 1)
            {
                key = value.Text;
            }
            else if (field == 2)
            {
                foreach (var (kind, any) in Fields(value.Bytes))
                {
                    text = kind switch
                    {
                        1 => any.Text,
                        2 => any.Number != 0 ? "true" : "false",
                        3 => ((long)any.Number).ToString(CultureInfo.InvariantCulture),
                        4 => BitConverter.UInt64BitsToDouble(any.Number).ToString(CultureInfo.InvariantCulture),
                        _ => Encoding.UTF8.GetString(any.Bytes.Span),
                    };
                }
            }
        }
        into[key] = text;
    }

    private readonly record struct WireValue(ulong Number, ReadOnlyMemory<byte> Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes.Span);
    }

    /// <summary>The fields of one message in order: numbers for varint/fixed types, bytes for length-delimited ones.</summary>
    private static IEnumerable<(int Field, WireValue Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message.Span, ref position);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    yield return (field, new WireValue(ReadVarint(message.Span, ref position), default));
                    break;
                case 1:
                    yield return (field, new WireValue(BinaryPrimitives.ReadUInt64LittleEndian(message.Span[position..]), default));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    yield return (field, new WireValue(0, message.Slice(position, length)));
                    position += length;
                    break;
                case 5:
                    yield return (field, new WireValue(BinaryPrimitives.ReadUInt32LittleEndian(message.Span[position..]), default));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {tag & 7} at byte {position}.");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
    }
}
