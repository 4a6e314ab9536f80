; 政府信息公开年报：Windows 安装程序（Inno Setup 6.5 或更新版本；6.5 起自带官方的简体中文界面文件
; ChineseSimplified.isl）。只为当前用户安装，不需要管理员权限。
; The per-user installer of nianbao, for Inno Setup 6.5+ (whose official languages include
; ChineseSimplified.isl). Build dist\nianbao with PyInstaller first (packaging\WINDOWS.md), then
;   ISCC /DAppVersion=0.1.0 packaging\windows\nianbao.iss
; → dist\nianbao-0.1.0-setup.exe. The version comes from app.__version__ (the workflow passes it).
;
; - PrivilegesRequired=lowest: installs to %LOCALAPPDATA%\Programs\nianbao, no UAC prompt.
; - Windows 10 1809 (build 17763) or newer, 64-bit only: what Qt 6 / PySide6 support.
; - The drafts live in %LOCALAPPDATA%\nianbao, a folder the installer never touches: the
;   uninstaller removes only the files it installed, and says where the drafts stayed.
; - A start-menu shortcut always, a desktop shortcut unless unticked.
; This file is UTF-8 with a byte-order mark (Inno Setup reads it as Unicode then).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=0.1.0 packaging\windows\nianbao.iss
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\nianbao"
#endif
#define AppName "政府信息公开年报"

[Setup]
AppId={{3EE45452-6FA1-42C7-BA8E-DA9D3A5AE7F9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=nianbao
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
PrivilegesRequired=lowest
DefaultDirName={autopf}\nianbao
DisableDirPage=auto
DisableProgramGroupPage=yes
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=nianbao-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\nianbao.ico
UninstallDisplayIcon={app}\nianbao.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Messages]
WinVersionTooLowError={#AppName}需要 Windows 10（1809 版或更新）或 Windows 11。请先升级 Windows。
OnlyOnTheseArchitectures={#AppName}只能安装在 64 位的 Windows 10 或 Windows 11 上，这台电脑的 Windows 是 32 位的。

[CustomMessages]
DraftsKept=您的报告草稿没有删除，仍保存在：%n%1%n%n重新安装后可继续使用。不再需要时，可手动删除这个文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\nianbao.exe"; Comment: "离线填写、检查、导出政府信息公开工作年度报告"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\nianbao.exe"; Comment: "离线填写、检查、导出政府信息公开工作年度报告"; Tasks: desktopicon

[Run]
Filename: "{app}\nianbao.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ After uninstalling: say that the drafts are still there (never in a silent uninstall). }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Drafts: String;
begin
  Drafts := ExpandConstant('{localappdata}\nianbao');
  if (CurUninstallStep = usPostUninstall) and DirExists(Drafts) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DraftsKept'), [Drafts]), mbInformation, MB_OK);
end;
