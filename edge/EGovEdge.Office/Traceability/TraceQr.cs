using QRCoder;

namespace EGovEdge.Office.Traceability;

/// <summary>QR codes for labels (QRCoder, error correction M so a slightly soiled label still scans).</summary>
public static class TraceQr
{
    /// <summary>The public lookup URL of a short code: {base}/portal/trace/{code}, relative when no base is configured.</summary>
    public static string Payload(string? publicBaseUrl, string shortCode) =>
        (publicBaseUrl ?? "").Trim().TrimEnd('/') + "/portal/trace/" + shortCode;

    /// <summary>An SVG QR code; <paramref name="scalable"/> leaves out width/height so it fills its container (labels).</summary>
    public static string Svg(string payload, int pixelsPerModule = 6, bool scalable = false)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return scalable
            ? svg.GetGraphic(pixelsPerModule, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute)
            : svg.GetGraphic(pixelsPerModule);
    }

    public static byte[] Png(string payload, int pixelsPerModule = 8)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule);
    }
}
