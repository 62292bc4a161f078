output "alb_dns_name" {
  value = aws_lb.nexora.dns_name
}

output "cloudwatch_log_groups" {
  value = {
    api     = aws_cloudwatch_log_group.api.name
    malgenx = aws_cloudwatch_log_group.malgenx.name
  }
}
