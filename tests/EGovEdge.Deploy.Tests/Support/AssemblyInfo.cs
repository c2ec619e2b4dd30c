// The deploy scripts are bash, the units systemd: these tests run on Linux (Windows is checked by parsing the .ps1).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
