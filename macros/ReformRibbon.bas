Attribute VB_Name = "ReformRibbon"
Option Explicit

' Ribbon callbacks of the reform add-in (tab "Gyokaku shinko kanri").
' Every button calls OnRibbonAction with its id; the Python side
' (addin.excel.dispatch) does the work and shows its own Japanese messages.
' What VBA alone can see is checked before Python starts (the interpreter set
' for the add-in, on Mac the AppleScript of RunPython); a start that fails and
' a missing xlwings DLL (error 53) are explained afterwards, each with what to do.
' XLWINGS_VERSION, RunPython, GetConfig and FileExists are the xlwings module's.
' This file must stay ASCII: Japanese text is built from UTF-16 codes by Jp().

Public Sub OnRibbonAction(control As IRibbonControl)
    Dim problem As String
    Dim result As Variant
    problem = StartProblem()
    If problem <> "" Then
        MsgBox CannotRun(control.Id) & vbCrLf & vbCrLf & problem, vbExclamation, Title()
        Exit Sub
    End If
    On Error GoTo Failed
    result = RunPython("import addin.excel; addin.excel.dispatch('" & control.Id & "', xlwings_version='" & XLWINGS_VERSION & "')")
    On Error GoTo 0
    ' On Windows RunPython returns -1 when the Python process failed: xlwings has just shown its log.
    If result = -1 Then
        MsgBox CannotRun(control.Id) & vbCrLf & vbCrLf & PythonFailedMessage(), vbExclamation, Title()
    End If
    Exit Sub
Failed:
    MsgBox CannotRun(control.Id) & vbCrLf & vbCrLf & RunErrorMessage(Err.Number, Err.Description) & vbCrLf & vbCrLf & _
           "(" & Err.Number & ") " & Err.Description, vbExclamation, Title()
End Sub

Private Function ButtonLabel(ByVal id As String) As String
    ' The label of each button of customUI14.xml (a test keeps the three lists equal).
    Select Case id
        Case "btnGenerate": ButtonLabel = Jp("69D8 5F0F 4F5C 6210")
        Case "btnValidate": ButtonLabel = Jp("691C 8A3C")
        Case "btnConsolidate": ButtonLabel = Jp("96C6 7D04")
        Case "btnGantt": ButtonLabel = Jp("5DE5 7A0B 8868")
        Case "btnFinance": ButtonLabel = Jp("8CA1 653F 8AB2 51FA 529B")
        Case "btnPublish": ButtonLabel = Jp("516C 8868 8CC7 6599")
        Case "btnSettings": ButtonLabel = Jp("8A2D 5B9A")
        Case "btnCheck": ButtonLabel = Jp("5165 529B 30C1 30A7 30C3 30AF")
        Case "btnDoctor": ButtonLabel = Jp("52D5 4F5C 78BA 8A8D")
        Case Else: ButtonLabel = id
    End Select
End Function

Private Function Title() As String
    Title = Jp("884C 9769 9032 884C 7BA1 7406")
End Function

Private Function CannotRun(ByVal id As String) As String
    CannotRun = Jp("300C") & ButtonLabel(id) & Jp("300D 3092 5B9F 884C 3067 304D 307E 305B 3093 3067 3057 305F 3002")
End Function

Private Function StartProblem() As String
    ' The interpreter as xlwings' RunPython chooses it: INTERPRETER_MAC/_WIN, else INTERPRETER.
    Dim interpreter As String
    #If Mac Then
        interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If interpreter = "" Then interpreter = GetConfig("INTERPRETER", "")
    #If Mac Then
        ' The AppleScript runs the interpreter through the login shell: only an absolute path is sure.
        If interpreter = "" Or interpreter = "python" Or interpreter = "pythonw" Then
            StartProblem = Jp("0050 0079 0074 0068 006F 006E 0020 306E 5834 6240 304C 8A2D 5B9A 3055 308C 3066 3044 307E 305B 3093 3002") & vbCrLf & _
                Jp("0069 006E 0073 0074 0061 006C 006C 002E 0073 0068 0020 3092 5B9F 884C 3057 3066 304F 3060 3055 3044 FF08 8A2D 5B9A 30D5 30A1 30A4 30EB 0020") & Environ("HOME") & "/reform.conf" & _
                Jp("0020 306B 0020 0049 004E 0054 0045 0052 0050 0052 0045 0054 0045 0052 005F 004D 0041 0043 0020 3068 3057 3066 0020 0050 0079 0074 0068 006F 006E 0020 306E 5834 6240 3092 66F8 304D 8FBC 307F 307E 3059 FF09 3002")
            Exit Function
        End If
        If Not AppleScriptInstalled() Then
            StartProblem = Jp("0052 0075 006E 0050 0079 0074 0068 006F 006E 0020 306B 5FC5 8981 306A 0020 0078 006C 0077 0069 006E 0067 0073 0020 306E 0020 0041 0070 0070 006C 0065 0053 0063 0072 0069 0070 0074 FF08 0078 006C 0077 0069 006E 0067 0073 002D") & XLWINGS_VERSION & _
                Jp("002E 0061 0070 0070 006C 0065 0073 0063 0072 0069 0070 0074 FF09 304C 3042 308A 307E 305B 3093 3002") & vbCrLf & _
                Jp("0069 006E 0073 0074 0061 006C 006C 002E 0073 0068 0020 3092 5B9F 884C 3059 308B 304B 3001 30BF 30FC 30DF 30CA 30EB 3067 6B21 3092 5B9F 884C 3057 3066 304F 3060 3055 3044 3002") & vbCrLf & _
                "~/reform-venv/bin/xlwings runpython install" & vbCrLf & _
                Jp("5225 306E 7248 306E 0020 0078 006C 0077 0069 006E 0067 0073 0020 3092 5165 308C 305F 5834 5408 306F 3001 30A2 30C9 30A4 30F3 3068 540C 3058 7248 FF08") & XLWINGS_VERSION & Jp("FF09 306B 3057 3066 304F 3060 3055 3044 3002")
        End If
    #Else
        If interpreter <> "" And interpreter <> "python" And interpreter <> "pythonw" Then
            If Not FileExists(interpreter) Then
                StartProblem = Jp("8A2D 5B9A 3055 308C 305F 0020 0050 0079 0074 0068 006F 006E 0020 304C 898B 3064 304B 308A 307E 305B 3093 003A 0020") & interpreter & vbCrLf & _
                    Jp("0069 006E 0073 0074 0061 006C 006C 002E 0062 0061 0074 0020 3092 3082 3046 4E00 5EA6 5B9F 884C 3059 308B 304B 3001 8A2D 5B9A 30D5 30A1 30A4 30EB 0020") & Environ("USERPROFILE") & "\.reform\reform.conf" & _
                    Jp("0020 306E 0020 0049 004E 0054 0045 0052 0050 0052 0045 0054 0045 0052 005F 0057 0049 004E 0020 3092 6B63 3057 3044 5834 6240 306B 76F4 3057 3066 304F 3060 3055 3044 3002")
            End If
        End If
    #End If
End Function

#If Mac Then
Private Function AppleScriptInstalled() As Boolean
    ' Sandboxed Excel sees HOME as ~/Library/Containers/com.microsoft.Excel/Data; the scripts
    ' folder (readable by Excel) is under the real home.
    Dim home As String
    home = Environ("HOME")
    If InStr(home, "/Library/Containers/") > 0 Then home = Left(home, InStr(home, "/Library/Containers/") - 1)
    On Error Resume Next
    AppleScriptInstalled = Dir(home & "/Library/Application Scripts/com.microsoft.Excel/xlwings-" & _
                               XLWINGS_VERSION & ".applescript") <> ""
    ' A folder Excel may not look into: let RunPython try rather than refuse.
    If Err.Number <> 0 Then AppleScriptInstalled = True
    On Error GoTo 0
End Function
#End If

Private Function PythonFailedMessage() As String
    PythonFailedMessage = Jp("0050 0079 0074 0068 006F 006E 0020 3092 8D77 52D5 3067 304D 306A 304B 3063 305F 304B 3001 0050 0079 0074 0068 006F 006E 0020 304C 9014 4E2D 3067 6B62 307E 308A 307E 3057 305F FF08 539F 56E0 306F 76F4 524D 306E 30E1 30C3 30BB 30FC 30B8 306B 3042 308A 307E 3059 FF09 3002") & vbCrLf & _
        Jp("30FB 300C 0027 0070 0079 0074 0068 006F 006E 0027 0020 306F 3001 5185 90E8 30B3 30DE 30F3 30C9 307E 305F 306F 5916 90E8 30B3 30DE 30F3 30C9 2026 300D 003A 0020 0050 0079 0074 0068 006F 006E 0020 304C 898B 3064 304B 308A 307E 305B 3093 3002") & vbCrLf & _
        Jp("30FB 300C 004D 006F 0064 0075 006C 0065 004E 006F 0074 0046 006F 0075 006E 0064 0045 0072 0072 006F 0072 300D 003A 0020 305D 306E 0020 0050 0079 0074 0068 006F 006E 0020 306B 0020 0078 006C 0077 0069 006E 0067 0073 0020 304B 0020 0072 0065 0066 006F 0072 006D 002D 0061 0064 0064 0069 006E 0020 304C 5165 3063 3066 3044 307E 305B 3093 3002") & vbCrLf & _
        Jp("0069 006E 0073 0074 0061 006C 006C 002E 0062 0061 0074 0020 3092 3082 3046 4E00 5EA6 5B9F 884C 3057 3066 304B 3089 3001 300C 52D5 4F5C 78BA 8A8D 300D 3092 62BC 3057 3066 304F 3060 3055 3044 3002")
End Function

Private Function RunErrorMessage(ByVal number As Long, ByVal description As String) As String
    If number = 53 And InStr(1, description, "xlwings", vbTextCompare) > 0 Then
        ' Error 53 "File not found" names the DLL of the add-in's xlwings version.
        RunErrorMessage = Jp("0078 006C 0077 0069 006E 0067 0073 0020 306E 0020 0044 004C 004C 0020 304C 898B 3064 304B 308A 307E 305B 3093 3002 30A2 30C9 30A4 30F3 306F 0020 0078 006C 0077 0069 006E 0067 0073 0020") & XLWINGS_VERSION & _
            Jp("0020 7528 3067 3059 304C 3001 0050 0079 0074 0068 006F 006E 0020 306B 5165 3063 3066 3044 308B 0020 0078 006C 0077 0069 006E 0067 0073 0020 306E 7248 304C 9055 3046 304B 3001 0050 0079 0074 0068 006F 006E 0020 306E 5834 6240 306E 8A2D 5B9A 304C 9055 3044 307E 3059 3002") & vbCrLf & _
            Jp("0069 006E 0073 0074 0061 006C 006C 002E 0062 0061 0074 FF08 004D 0061 0063 0020 306F 0020 0069 006E 0073 0074 0061 006C 006C 002E 0073 0068 FF09 3092 3082 3046 4E00 5EA6 5B9F 884C 3057 3066 304B 3089 3001 300C 52D5 4F5C 78BA 8A8D 300D 3092 62BC 3057 3066 304F 3060 3055 3044 3002")
    Else
        RunErrorMessage = Jp("0050 0079 0074 0068 006F 006E 0020 3068 0020 0078 006C 0077 0069 006E 0067 0073 0020 3092 547C 3073 51FA 305B 307E 305B 3093 3067 3057 305F 3002") & vbCrLf & _
            Jp("0069 006E 0073 0074 0061 006C 006C 002E 0062 0061 0074 FF08 004D 0061 0063 0020 306F 0020 0069 006E 0073 0074 0061 006C 006C 002E 0073 0068 FF09 3092 3082 3046 4E00 5EA6 5B9F 884C 3057 3066 304B 3089 3001 300C 52D5 4F5C 78BA 8A8D 300D 3092 62BC 3057 3066 304F 3060 3055 3044 3002")
    End If
End Function

Private Function Jp(ByVal codes As String) As String
    ' Text from space-separated hexadecimal UTF-16 code units.
    Dim code As Variant
    Dim text As String
    For Each code In Split(codes, " ")
        text = text & ChrW(CLng("&H" & code))
    Next code
    Jp = text
End Function
