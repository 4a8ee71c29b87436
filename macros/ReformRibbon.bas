Attribute VB_Name = "ReformRibbon"
Option Explicit

' Ribbon callbacks of the reform add-in (tab "Gyokaku shinko kanri").
' Every button calls OnRibbonAction with its id; the Python side
' (addin.excel.dispatch) does the work and shows its own Japanese messages.
' This file must stay ASCII: Japanese text is built from UTF-16 codes by Jp().

Public Sub OnRibbonAction(control As IRibbonControl)
    On Error GoTo Failed
    RunPython "import addin.excel; addin.excel.dispatch('" & control.Id & "')"
    Exit Sub
Failed:
    ' Reached only when Python could not be started at all.
    MsgBox StartFailedMessage() & vbCrLf & vbCrLf & "(" & Err.Number & ") " & Err.Description, _
           vbExclamation, Jp("884C 9769 9032 884C 7BA1 7406")
End Sub

Private Function StartFailedMessage() As String
    ' "Shori wo kaishi dekimasen deshita. Python to xlwings no settei wo kakunin shite kudasai."
    StartFailedMessage = Jp("51E6 7406 3092 958B 59CB 3067 304D 307E 305B 3093 3067 3057 305F 3002") & vbCrLf & _
        "Python " & Jp("3068") & " xlwings " & _
        Jp("306E 8A2D 5B9A 3092 78BA 8A8D 3057 3066 304F 3060 3055 3044 3002")
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
